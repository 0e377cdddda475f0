internal import CRdKafka
import PipelineRuntime

/// Builds an `rd_kafka_conf_t` from properties; the caller owns the result until `rd_kafka_new` succeeds.
enum RDKafkaConf {
    static func make(_ properties: [(String, String)]) throws(KafkaError) -> OpaquePointer {
        let conf = rd_kafka_conf_new()!
        var errorBuffer = [CChar](repeating: 0, count: 512)
        for (key, value) in properties {
            let result = rd_kafka_conf_set(conf, key, value, &errorBuffer, errorBuffer.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                // librdkafka quotes the rejected value, which must not reach a log when it is a credential.
                let reason = Redaction.isSecretKey(key) ? "rejected (value not shown)" : text(of: errorBuffer)
                throw KafkaError(kind: .configuration, message: "\(key): \(reason)")
            }
        }
        return conf
    }

    /// Creates a client from a conf, destroying the conf when creation fails (librdkafka keeps it only on success).
    static func newClient(
        type: rd_kafka_type_t, conf: OpaquePointer
    ) throws(KafkaError) -> OpaquePointer {
        var errorBuffer = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(type, conf, &errorBuffer, errorBuffer.count) else {
            rd_kafka_conf_destroy(conf)
            let reason = text(of: errorBuffer)
            throw KafkaError(kind: .clientCreation, message: reason)
        }
        return handle
    }

    /// The NUL-terminated message librdkafka wrote into an error buffer.
    static func text(of buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
