internal import CRdKafka
import Logging
import Metrics

/// What librdkafka's callbacks need to reach Swift: the logger, metrics and the role-specific handlers.
///
/// One context is created per client and handed to librdkafka as the conf opaque. The owning client keeps it
/// alive for longer than the `rd_kafka_t` (the handle is destroyed first, in the owner's `deinit`), so the
/// unretained pointer librdkafka holds never dangles.
final class ClientContext: Sendable {
    let logger: Logger
    let role: String
    let statistics: LibrdkafkaStatistics
    let errors: Counter
    /// Set for consumers only; called on the thread that serves the consumer queue.
    let rebalance: (@Sendable (OpaquePointer, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> Void)?
    /// Set for consumers only: called with the partition and librdkafka's text when a position was moved because
    /// the broker no longer had it (see ``OffsetResetNotice``).
    let offsetReset: (@Sendable (TopicPartition, String) -> Void)?

    init(
        logger: Logger, role: String,
        offsetReset: (@Sendable (TopicPartition, String) -> Void)? = nil,
        rebalance: (@Sendable (OpaquePointer, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> Void)? = nil
    ) {
        self.logger = logger
        self.role = role
        self.statistics = LibrdkafkaStatistics(role: role)
        self.errors = Counter(label: "tributary_kafka_client_errors_total", dimensions: [("role", role)])
        self.offsetReset = offsetReset
        self.rebalance = rebalance
    }

    static func from(_ opaque: UnsafeMutableRawPointer?) -> ClientContext? {
        opaque.map { Unmanaged<ClientContext>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Installs the log, error and statistics callbacks and this context as the conf's opaque.
    func install(on conf: OpaquePointer) {
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(self).toOpaque())
        rd_kafka_conf_set_log_cb(conf) { handle, level, facility, message in
            guard let handle, let context = ClientContext.from(rd_kafka_opaque(handle)) else { return }
            context.log(level: level, facility: facility, message: message)
        }
        rd_kafka_conf_set_error_cb(conf) { _, code, reason, opaque in
            guard let context = ClientContext.from(opaque) else { return }
            context.errors.increment()
            let text = reason.map { String(cString: $0) } ?? ""
            let name = String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(code)))
            // Transport errors are routine while a broker restarts; librdkafka reconnects by itself.
            context.logger.info(
                "kafka client error", metadata: ["kafka.error": "\(name)", "kafka.reason": "\(text)"])
        }
        rd_kafka_conf_set_stats_cb(conf) { _, json, length, opaque in
            guard let json, let context = ClientContext.from(opaque) else { return 0 }
            let bytes = UnsafeRawBufferPointer(start: json, count: length)
            context.statistics.record(json: bytes)
            return 0  // librdkafka frees the buffer
        }
    }

    private func log(level: Int32, facility: UnsafePointer<CChar>?, message: UnsafePointer<CChar>?) {
        let swiftLevel: Logger.Level
        switch level {
        case ...3: swiftLevel = .error
        case 4: swiftLevel = .warning
        case 5, 6: swiftLevel = .info
        default: swiftLevel = .debug
        }
        if let offsetReset, let facility, let message, String(cString: facility) == "OFFSET",
            let notice = OffsetResetNotice(String(cString: message))
        {
            offsetReset(notice.partition, notice.text)
        }
        guard logger.logLevel <= swiftLevel else { return }
        logger.log(
            level: swiftLevel, "librdkafka",
            metadata: [
                "kafka.facility": "\(facility.map { String(cString: $0) } ?? "")",
                "kafka.message": "\(message.map { String(cString: $0) } ?? "")",
            ])
    }
}
