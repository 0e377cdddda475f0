internal import CRdKafka

/// The one error type of the Kafka layer: what went wrong, librdkafka's code, and whether to retry.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// Broad classes a caller branches on; `code` keeps the exact librdkafka value for logs.
    public enum Kind: Sendable, Equatable {
        case configuration
        case clientCreation
        case queueFull
        case delivery
        case consume
        case offsetOutOfRange
        case commit
        case admin
        case timeout
        case closed
        case other
    }

    public var kind: Kind
    /// librdkafka's `rd_kafka_resp_err_t` value, 0 when the error is ours.
    public var code: Int32
    public var message: String
    /// librdkafka said a retry may succeed (or the failure is transient by nature).
    public var isRetriable: Bool
    /// The client cannot continue (for example a fenced idempotent producer).
    public var isFatal: Bool

    public init(kind: Kind, code: Int32 = 0, message: String, isRetriable: Bool = false, isFatal: Bool = false) {
        self.kind = kind
        self.code = code
        self.message = message
        self.isRetriable = isRetriable
        self.isFatal = isFatal
    }

    /// The librdkafka name of the code, e.g. `_MSG_TIMED_OUT`, for logs and metric labels.
    public var codeName: String {
        String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(code)))
    }

    public var description: String {
        code == 0 ? "\(kind): \(message)" : "\(kind) (\(codeName)): \(message)"
    }
}

extension KafkaError {
    init(kind: Kind, response: rd_kafka_resp_err_t, context: String? = nil) {
        let text = String(cString: rd_kafka_err2str(response))
        let retriable: Bool
        switch response {
        case RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
            RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
            RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS:
            retriable = true
        default:
            retriable = false
        }
        self.init(
            kind: kind, code: response.rawValue, message: context.map { "\($0): \(text)" } ?? text,
            isRetriable: retriable, isFatal: response == RD_KAFKA_RESP_ERR__FATAL)
    }

    /// Takes ownership of an `rd_kafka_error_t` and destroys it.
    init(kind: Kind, consuming error: OpaquePointer) {
        defer { rd_kafka_error_destroy(error) }
        self.init(
            kind: kind, code: rd_kafka_error_code(error).rawValue, message: String(cString: rd_kafka_error_string(error)),
            isRetriable: rd_kafka_error_is_retriable(error) != 0, isFatal: rd_kafka_error_is_fatal(error) != 0)
    }
}
