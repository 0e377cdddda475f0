import PipelineKafka
import PipelineRuntime
import Synchronization

/// The local broker's control API: topic creation (the mock cluster never answers CreateTopics) and fault
/// injection for the reliability tests, served on the broker's operations endpoint.
///
/// Every call is a query-string request answered with a one-line JSON object, so `curl -X POST` is enough.
final class BrokerControlAPI: Sendable {
    private let broker: LocalBroker
    private let topics: Mutex<[String: Int]>

    init(broker: LocalBroker, partitions: Int) {
        self.broker = broker
        topics = Mutex(
            Dictionary(
                uniqueKeysWithValues: PipelineTopic.allCases.map {
                    ($0.rawValue, $0.localPartitions(dataPartitions: partitions))
                }))
    }

    func register(on server: OperationsServer) {
        server.register(method: "GET", path: "/topics") { [self] _ in
            let list = self.topics.withLock { $0 }.sorted { $0.key < $1.key }
                .map { "{\"name\":\(JSONText.quoted($0.key)),\"partitions\":\($0.value)}" }
            return .json("{\"topics\":[\(list.joined(separator: ","))]}")
        }
        server.register(method: "GET", path: "/broker") { [broker] _ in
            .json("{\"bootstrap\":\"\(broker.bootstrapServers)\",\"brokers\":\(broker.brokerCount)}")
        }
        server.register(method: "POST", path: "/topics") { [self, broker] request in
            Self.answer(request) { query throws(ControlError) in
                let name = try query.string("name")
                let partitions = try query.int("partitions")
                try Self.run { () throws(KafkaError) in try broker.createTopic(name, partitions: partitions) }
                self.topics.withLock { $0[name] = $0[name] ?? partitions }
            }
        }
        server.register(method: "POST", path: "/faults/*") { [broker] request in
            Self.answer(request) { query throws(ControlError) in
                try Self.injectFault(String(request.path.dropFirst("/faults/".count)), query: query, broker: broker)
            }
        }
    }

    private static func injectFault(_ fault: String, query: ControlQuery, broker: LocalBroker) throws(ControlError) {
        switch fault {
        case "broker":
            let id = Int32(try query.int("id"))
            let state = try query.string("state")
            guard state == "up" || state == "down" else { throw ControlError("state must be up or down") }
            try run { () throws(KafkaError) in try broker.setBroker(id, up: state == "up") }
        case "rtt":
            let id = Int32(try query.int("id"))
            let milliseconds = try query.int("ms")
            try run { () throws(KafkaError) in try broker.setRoundTripTime(broker: id, milliseconds: milliseconds) }
        case "request-errors":
            let api = Int16(clamping: try query.int("api"))
            let codes = try query.string("codes").split(separator: ",").map { part throws(ControlError) -> Int32 in
                guard let code = Int32(part) else { throw ControlError("codes must be integers") }
                return code
            }
            broker.pushRequestErrors(apiKey: api, errorCodes: codes)
        case "leader":
            let topic = try query.string("topic")
            let partition = Int32(try query.int("partition"))
            let id = Int32(try query.int("broker"))
            try run { () throws(KafkaError) in try broker.setLeader(topic: topic, partition: partition, broker: id) }
        case "topic-error":
            broker.setTopicError(topic: try query.string("topic"), errorCode: Int32(try query.int("code")))
        default:
            throw ControlError("unknown fault \(fault); one of broker, rtt, request-errors, leader, topic-error")
        }
    }

    private static func run(_ body: () throws(KafkaError) -> Void) throws(ControlError) {
        do { try body() } catch { throw ControlError("\(error)") }
    }

    private static func answer(_ request: HTTPRequest, _ body: (ControlQuery) throws(ControlError) -> Void) -> HTTPResponse {
        do {
            try body(ControlQuery(items: request.queryItems))
            return .json("{\"ok\":true}")
        } catch {
            return .json("{\"ok\":false,\"error\":\(JSONText.quoted(error.message))}", status: 400)
        }
    }
}

/// A control request's query parameters, read with errors that name the missing one.
struct ControlQuery {
    var items: [String: String]

    func string(_ name: String) throws(ControlError) -> String {
        guard let value = items[name], !value.isEmpty else { throw ControlError("missing parameter \(name)") }
        return value
    }

    func int(_ name: String) throws(ControlError) -> Int {
        guard let value = Int(try string(name)) else { throw ControlError("parameter \(name) must be an integer") }
        return value
    }
}

struct ControlError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
