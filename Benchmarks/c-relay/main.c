// The floor for the relay benchmark: the least a consume -> produce relay can do on librdkafka.
//
// It consumes `count` messages from `in` with a consumer group, produces each key and value unchanged to `out`,
// waits until every produced message is delivered, and prints one JSON line with its wall time and its own CPU
// time. Settings that matter for speed are the same as the Swift relay's (the bench passes both the same
// `key=value` properties). Usage: c-relay BOOTSTRAP IN OUT GROUP COUNT [key=value ...]
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static long long delivered = 0;
static long long failed = 0;

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *message, void *opaque) {
    (void)rk; (void)opaque;
    if (message->err) failed++; else delivered++;
}

static void set(rd_kafka_conf_t *conf, const char *key, const char *value) {
    char error[256];
    if (rd_kafka_conf_set(conf, key, value, error, sizeof error) != RD_KAFKA_CONF_OK) {
        fprintf(stderr, "c-relay: %s: %s\n", key, error);
        exit(2);
    }
}

static void apply_extra(rd_kafka_conf_t *conf, int argc, char **argv, int first) {
    for (int i = first; i < argc; i++) {
        char *pair = strdup(argv[i]);
        char *equals = strchr(pair, '=');
        if (!equals) { fprintf(stderr, "c-relay: expected key=value, got %s\n", argv[i]); exit(2); }
        *equals = '\0';
        set(conf, pair, equals + 1);
        free(pair);
    }
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_seconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: c-relay BOOTSTRAP IN OUT GROUP COUNT [key=value ...]\n");
        return 2;
    }
    const char *bootstrap = argv[1], *in = argv[2], *out = argv[3], *group = argv[4];
    long long count = atoll(argv[5]);
    char error[512];

    rd_kafka_conf_t *pconf = rd_kafka_conf_new();
    set(pconf, "bootstrap.servers", bootstrap);
    set(pconf, "enable.idempotence", "true");
    set(pconf, "linger.ms", "5");
    set(pconf, "queue.buffering.max.messages", "500000");
    rd_kafka_conf_set_dr_msg_cb(pconf, on_delivery);
    rd_kafka_t *producer = rd_kafka_new(RD_KAFKA_PRODUCER, pconf, error, sizeof error);
    if (!producer) { fprintf(stderr, "c-relay: %s\n", error); return 1; }
    rd_kafka_topic_t *out_topic = rd_kafka_topic_new(producer, out, NULL);

    rd_kafka_conf_t *cconf = rd_kafka_conf_new();
    set(cconf, "bootstrap.servers", bootstrap);
    set(cconf, "group.id", group);
    set(cconf, "auto.offset.reset", "earliest");
    set(cconf, "session.timeout.ms", "6000");
    set(cconf, "enable.partition.eof", "false");
    apply_extra(cconf, argc, argv, 6);
    rd_kafka_t *consumer = rd_kafka_new(RD_KAFKA_CONSUMER, cconf, error, sizeof error);
    if (!consumer) { fprintf(stderr, "c-relay: %s\n", error); return 1; }
    rd_kafka_poll_set_consumer(consumer);
    rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, in, RD_KAFKA_PARTITION_UA);
    rd_kafka_subscribe(consumer, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    rd_kafka_queue_t *queue = rd_kafka_queue_get_consumer(consumer);

    enum { BATCH = 2000 };
    rd_kafka_message_t *messages[BATCH];
    long long relayed = 0;
    double started = 0, cpu_started = 0;
    while (relayed < count) {
        ssize_t n = rd_kafka_consume_batch_queue(queue, 100, messages, BATCH);
        for (ssize_t i = 0; i < n; i++) {
            rd_kafka_message_t *m = messages[i];
            if (!m->err) {
                if (relayed == 0) { started = now_seconds(); cpu_started = cpu_seconds(); }
                while (rd_kafka_produce(out_topic, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, m->payload, m->len,
                                        m->key, m->key_len, NULL) == -1) {
                    rd_kafka_poll(producer, 1);  // queue full: serve delivery reports, then retry
                }
                relayed++;
            }
            rd_kafka_message_destroy(m);
        }
        rd_kafka_poll(producer, 0);
    }
    rd_kafka_flush(producer, 30000);
    double seconds = now_seconds() - started;
    double cpu = cpu_seconds() - cpu_started;
    printf("{\"relay\":\"c\",\"messages\":%lld,\"delivered\":%lld,\"failed\":%lld,\"seconds\":%.6f,\"cpu_seconds\":%.6f}\n",
           relayed, delivered, failed, seconds, cpu);
    fflush(stdout);
    rd_kafka_queue_destroy(queue);
    rd_kafka_consumer_close(consumer);
    rd_kafka_destroy(consumer);
    rd_kafka_topic_destroy(out_topic);
    rd_kafka_destroy(producer);
    return failed == 0 ? 0 : 1;
}
