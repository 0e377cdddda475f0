import Foundation

/// What one chaos run does: how much load, for how long, and which faults at which moments. Everything comes from
/// one seed, so a failing run can be repeated exactly (`TRIBUTARY_CHAOS_SEED`); the size comes from the environment
/// so the same suite is the short CI form and the long standalone run (`scripts/chaos.sh`).
struct ChaosPlan: Sendable {
    /// The services that are SIGKILLed and restarted. The generator is not among them: it is the load and the
    /// expectation, and a restarted generator starts its seeded stream again from the first event (it has no resume),
    /// which the transformer would rightly dead-letter as duplicates.
    static let services = ["transformer", "bigtable-writer", "aggregator", "extractor", "cdc-router", "alerting"]

    var seed: UInt64
    var events: Int
    /// How long faults are injected; the generator's rate is set so its load spans this window.
    var duration: Duration
    var killsPerService: Int
    /// Of each other fault kind (broker down, latency, request errors, leader change, emulator freeze or restart, simulator
    /// and webhook faults).
    var faultsPerKind: Int
    /// Of every topic. The local broker keeps only about 5 MiB per partition, so a long run needs more of them
    /// for its consumers' restarts to stay within what the broker still holds.
    var partitions: Int

    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ChaosPlan {
        func int(_ name: String, _ fallback: Int) -> Int { environment[name].flatMap { Int($0) } ?? fallback }
        let events = int("TRIBUTARY_CHAOS_EVENTS", 60_000)
        return ChaosPlan(
            seed: UInt64(int("TRIBUTARY_CHAOS_SEED", 97)), events: events,
            duration: .seconds(int("TRIBUTARY_CHAOS_SECONDS", 150)), killsPerService: int("TRIBUTARY_CHAOS_KILLS", 5),
            faultsPerKind: int("TRIBUTARY_CHAOS_FAULTS", 4), partitions: int("TRIBUTARY_CHAOS_PARTITIONS", 8))
    }

    var generatorRate: Int { max(100, Int(Double(events) / (Double(duration.components.seconds) * 0.85))) }

    /// One scheduled fault: at `offset` into the run, `action`, held for `hold` where it has a duration.
    struct Step: Sendable {
        var offset: Duration
        var action: ChaosAction
    }

    /// The schedule, ordered by time. Kills of one service are spread over the window (one per equal slice, at a
    /// random point in it) so each restarted instance gets to join its group before the next kill; other faults are
    /// at random moments in the first 90 % of the window, so the pipeline ends the window recovering.
    func schedule() -> [Step] {
        var random = SplitMix64(seed: seed)
        let window = Double(duration.components.seconds)
        var steps: [Step] = []
        for service in Self.services {
            let slice = window * 0.9 / Double(killsPerService)
            for index in 0..<killsPerService {
                let at = slice * (Double(index) + random.unit(in: 0.15...0.85))
                steps.append(Step(offset: .seconds(at), action: .kill(service: service, downFor: .milliseconds(Int64(random.unit(in: 0...2) * 1000)))))
            }
        }
        func at() -> Duration { .seconds(random.unit(in: 0.05...0.85) * window) }
        for round in 0..<faultsPerKind {
            steps.append(Step(offset: at(), action: .brokerDown(id: Int32(random.below(3)) + 1, for: .seconds(random.unit(in: 2...6)))))
            steps.append(Step(offset: at(), action: .latency(id: Int32(random.below(3)) + 1, ms: 200 + random.below(600), for: .seconds(random.unit(in: 3...8)))))
            // Produce (0), Fetch (1), OffsetCommit (8), JoinGroup (11) answered with retriable errors:
            // NOT_LEADER_OR_FOLLOWER (6), REQUEST_TIMED_OUT (7), NOT_COORDINATOR (16), COORDINATOR_LOAD_IN_PROGRESS (14).
            let api = [0, 1, 8, 11][random.below(4)]
            let codes = api == 0 || api == 1 ? [6, 7, 6] : [16, 14, 16]
            steps.append(Step(offset: at(), action: .requestErrors(api: api, codes: codes)))
            let topic = ["events.raw", "events.clean"][random.below(2)]
            steps.append(Step(offset: at(), action: .leaderChange(topic: topic, partition: Int32(random.below(partitions)), broker: Int32(random.below(3)) + 1)))
            // Frozen and restarted in turn (from the same draw, so adding restarts moved no other fault).
            let emulatorHold = Duration.seconds(random.unit(in: 2...8))
            steps.append(Step(offset: at(), action: round.isMultiple(of: 2) ? .emulatorFreeze(for: emulatorHold) : .emulatorRestart(for: emulatorHold)))
            steps.append(Step(offset: at(), action: .simulatorFault(SimulatorFault.allCases[random.below(SimulatorFault.allCases.count)])))
            steps.append(Step(offset: at(), action: .webhookFault(WebhookFault.allCases[random.below(WebhookFault.allCases.count)], for: .seconds(random.unit(in: 3...10)))))
        }
        // Every simulator and webhook fault kind at least once, whatever the draw.
        for fault in SimulatorFault.allCases { steps.append(Step(offset: at(), action: .simulatorFault(fault))) }
        for fault in WebhookFault.allCases { steps.append(Step(offset: at(), action: .webhookFault(fault, for: .seconds(4)))) }
        return steps.sorted { $0.offset < $1.offset }
    }
}

enum ChaosAction: Sendable {
    case kill(service: String, downFor: Duration)
    case brokerDown(id: Int32, for: Duration)
    case latency(id: Int32, ms: Int, for: Duration)
    case requestErrors(api: Int, codes: [Int])
    case leaderChange(topic: String, partition: Int32, broker: Int32)
    case emulatorFreeze(for: Duration)
    case emulatorRestart(for: Duration)
    case simulatorFault(SimulatorFault)
    case webhookFault(WebhookFault, for: Duration)

    /// The fault's name in the table.
    var kind: String {
        switch self {
        case .kill(let service, _): "SIGKILL \(service)"
        case .brokerDown: "broker down"
        case .latency: "broker latency"
        case .requestErrors(let api, _): "broker request errors (api \(api))"
        case .leaderChange: "leader change"
        case .emulatorFreeze: "Bigtable emulator frozen"
        case .emulatorRestart: "Bigtable emulator restarted"
        case .simulatorFault(let fault): "Salesforce \(fault.rawValue)"
        case .webhookFault(let fault, _): "webhook \(fault.rawValue)"
        }
    }
}

/// The simulator's faults (`/_sim/faults`), each spoiling a few responses.
enum SimulatorFault: String, CaseIterable, Sendable {
    case expiredToken = "expired-token"  // 401 INVALID_SESSION_ID
    case http429 = "http-429"
    case http503 = "http-503"
    case slow  // held responses (the extractor's request timeout)
    case truncated  // the body cut mid-JSON
}

/// The webhook receiver's failure modes while a fault is on.
enum WebhookFault: String, CaseIterable, Sendable {
    case timeout  // answers after the sender's 10 s timeout
    case http401 = "401"
    case http429 = "429"
    case http500 = "500"
    case truncated  // a 200 whose body is shorter than its Content-Length
}

/// A small seeded generator (SplitMix64): the schedule must not depend on the platform's random source.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func unit(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + Double(next() >> 11) / Double(1 << 53) * (range.upperBound - range.lowerBound)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
