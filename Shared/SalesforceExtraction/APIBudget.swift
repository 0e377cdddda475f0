/// The extractor's share of the org's daily API allocation: it stops before the org's usage, as
/// `Sforce-Limit-Info` reports it, would pass `share × maximum`.
///
/// Each call is reserved before it is sent and settled with the usage its response reports, so even
/// concurrent calls never take usage past the limit. A response without the header counts the call itself.
public struct APIBudget: Sendable, Equatable {
    /// The share of the daily allocation this extractor may bring the org's usage up to, in (0, 1].
    public var share: Double
    /// The newest usage known (the highest reported, plus calls answered without a header).
    public private(set) var used: Int?
    public private(set) var maximum: Int?
    /// Calls sent and not yet answered.
    public private(set) var inFlight = 0

    public init(share: Double) {
        self.share = share
    }

    /// The usage this extractor stops at, once the allocation is known.
    public var limit: Int? { maximum.map { Int((Double($0) * share).rounded(.down)) } }

    /// Reserves one call; false when it could take usage past the limit. Before the first response the
    /// allocation is unknown, so one call at a time is allowed to learn it.
    public mutating func reserve() -> Bool {
        guard let limit, let used else {
            guard inFlight == 0 else { return false }
            inFlight += 1
            return true
        }
        guard used + inFlight + 1 <= limit else { return false }
        inFlight += 1
        return true
    }

    /// Settles a reserved call with its response's `Sforce-Limit-Info` (nil when absent or no response).
    /// - Parameter answered: whether the server answered at all (a transport failure may not have counted).
    public mutating func settle(_ usage: APIUsage?, answered: Bool) {
        inFlight = max(0, inFlight - 1)
        if let usage {
            used = max(used ?? 0, usage.used)
            maximum = usage.maximum
        } else if answered || used != nil {
            // Unknown whether it counted: assume it did, which only makes the budget stricter.
            used = (used ?? 0) + 1
        }
    }
}
