/// The switchable faults of the Salesforce simulator and how many more responses each still spoils.
///
/// Pure state (no I/O), kept inside the simulator's lock; ``take(_:)`` is asked once per API request per kind.
struct SimulatorFaults: Sendable {
    enum Kind: String, CaseIterable, Sendable {
        /// The next authenticated requests get 401 INVALID_SESSION_ID, and their token stops working.
        case expiredToken = "expired-token"
        /// 403 REQUEST_LIMIT_EXCEEDED, as when the org's daily allocation is used up.
        case requestLimit = "request-limit"
        /// 429 with Retry-After.
        case http429 = "http-429"
        /// 503 with Retry-After.
        case http503 = "http-503"
        /// The response is held back for `delayMs`.
        case slow
        /// The body is cut mid-JSON (Content-Length promises more) and the connection closed.
        case truncated
    }

    struct Armed: Sendable, Equatable {
        /// Responses still to spoil; nil = until cleared.
        var remaining: Int?
        var retryAfterSeconds: Int
        var delayMs: Int
    }

    private(set) var armed: [Kind: Armed] = [:]
    private(set) var served: [Kind: Int] = [:]

    /// Arms (or re-arms) a fault; `count` 0 means until cleared.
    mutating func arm(_ kind: Kind, count: Int, retryAfterSeconds: Int = 1, delayMs: Int = 1_500) {
        armed[kind] = Armed(remaining: count > 0 ? count : nil, retryAfterSeconds: retryAfterSeconds, delayMs: delayMs)
    }

    mutating func clear() { armed = [:] }

    /// Fires the fault for this response if armed, counting it down; nil when it does not fire.
    mutating func take(_ kind: Kind) -> Armed? {
        guard var fault = armed[kind] else { return nil }
        if let remaining = fault.remaining {
            fault.remaining = remaining - 1
            armed[kind] = remaining > 1 ? fault : nil
        }
        served[kind, default: 0] += 1
        return fault
    }

    /// Parses `--fault` text: `NAME[:count]` items separated by commas, e.g. `http-429:2,slow`.
    static func parse(_ text: String) -> [(Kind, Int)]? {
        var faults: [(Kind, Int)] = []
        for item in text.split(separator: ",") {
            let parts = item.split(separator: ":", maxSplits: 1)
            guard let kind = Kind(rawValue: String(parts[0]).trimmingSpaces) else { return nil }
            let count = parts.count > 1 ? Int(String(parts[1]).trimmingSpaces) : 1
            guard let count, count >= 0 else { return nil }
            faults.append((kind, count))
        }
        return faults
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
