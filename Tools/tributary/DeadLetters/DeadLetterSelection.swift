import PipelineMessages

/// Which dead letters one `tributary dlq replay` sends, which it passes over for good, and how far each replay
/// group's progress may move: the decisions alone, no I/O, so they are tested on their own.
///
/// Progress is per reason, stage and partition (``DeadLetterLog``), and must mean "everything below was handled".
/// So within one such group and partition, the first letter left for later (past `--until`, past `--limit`) stops
/// the group there: the letters after it wait too, or the next run would send them a second time.
struct DeadLetterSelection {
    struct Filter {
        /// Only this reason; `nil` for every reason (`--dry-run` only).
        var reason: String?
        /// Only this stage's letters (`DeadLetter.stage`).
        var stage: String?
        /// Letters dead-lettered before this time (epoch ms) are passed over for good.
        var sinceMs: Int64?
        /// Letters dead-lettered at or after this time wait for a later run.
        var untilMs: Int64?
        /// Letters already replayed this many times are passed over: they keep failing.
        var maxReplays: UInt32
        /// Send at most this many; the rest wait.
        var limit: Int?
    }

    /// One replay group's position on one partition.
    struct GroupPartition: Hashable {
        var reason: String
        var stage: String
        var partition: Int32
    }

    enum Decision: Equatable {
        case replay
        /// Handled without sending: before `--since`, at `--max-replays`, or a copy of a letter already selected.
        case passOver(PassOverReason)
        /// Left for a later run.
        case wait
    }

    enum PassOverReason: String, Equatable {
        case beforeSince = "before_since"
        case maxReplays = "at_max_replays"
        /// The same record dead-lettered again by the same stage (a stage killed after its letter was durable and
        /// before its input was committed sends it again): one replay is enough.
        case duplicateLetter = "duplicate_letter"
    }

    let filter: Filter
    private(set) var decisions: [(entry: DeadLetterLog.Entry, decision: Decision)] = []
    /// Groups with a letter left waiting, at the first such letter's offset.
    private(set) var waitingFrom: [GroupPartition: Int64] = [:]
    /// Groups with at least one letter handled in this run, at one past the last handled.
    private(set) var handledTo: [GroupPartition: Int64] = [:]
    private var sent = 0
    /// Original positions (topic, partition, offset) and stage of the letters replayed in this run.
    private var replayedOriginals: Set<String> = []

    init(filter: Filter) {
        self.filter = filter
    }

    /// Whether the letter is one the filter's reason and stage select at all.
    func selects(_ letter: DeadLetter) -> Bool {
        (filter.reason == nil || letter.reason == filter.reason) && (filter.stage == nil || letter.stage == filter.stage)
    }

    /// Decides one letter not yet handled; letters must come in offset order within each partition.
    mutating func add(_ entry: DeadLetterLog.Entry) {
        let letter = entry.letter
        guard selects(letter) else { return }
        let group = GroupPartition(reason: letter.reason, stage: letter.stage, partition: entry.partition)
        let decision: Decision
        if waitingFrom[group] != nil {
            decision = .wait
        } else if let since = filter.sinceMs, letter.timeMs < since {
            decision = .passOver(.beforeSince)
        } else if let until = filter.untilMs, letter.timeMs >= until {
            decision = .wait
        } else if letter.replayCount >= filter.maxReplays {
            decision = .passOver(.maxReplays)
        } else if replayedOriginals.contains(Self.original(of: letter)) {
            decision = .passOver(.duplicateLetter)
        } else if let limit = filter.limit, sent >= limit {
            decision = .wait
        } else {
            decision = .replay
            sent += 1
            replayedOriginals.insert(Self.original(of: letter))
        }
        if decision == .wait {
            if waitingFrom[group] == nil { waitingFrom[group] = entry.offset }
        } else {
            handledTo[group] = entry.offset + 1
        }
        decisions.append((entry, decision))
    }

    private static func original(of letter: DeadLetter) -> String {
        "\(letter.stage)\u{0}\(letter.topic)\u{0}\(letter.partition)\u{0}\(letter.offset)"
    }

    var toReplay: [DeadLetterLog.Entry] {
        decisions.compactMap { $0.decision == .replay ? $0.entry : nil }
    }

    /// The progress to commit for each group this run decided letters of: up to its first waiting letter, else to
    /// `end` (the partition's high watermark: every letter up to it was read).
    func progress(end: [Int32: Int64]) -> [GroupPartition: Int64] {
        var result: [GroupPartition: Int64] = [:]
        for group in Set(handledTo.keys).union(waitingFrom.keys) {
            if let waiting = waitingFrom[group] {
                result[group] = waiting
            } else if let high = end[group.partition] {
                result[group] = high
            }
        }
        return result
    }

    /// Counts by reason and stage: what was (or would be) sent, passed over by why, and left waiting.
    struct Tally: Equatable {
        var replay = 0
        var passedOver: [String: Int] = [:]
        var waiting = 0
    }

    var tallies: [String: [String: Tally]] {
        var result: [String: [String: Tally]] = [:]
        for (entry, decision) in decisions {
            switch decision {
            case .replay: result[entry.letter.reason, default: [:]][entry.letter.stage, default: Tally()].replay += 1
            case .passOver(let why):
                result[entry.letter.reason, default: [:]][entry.letter.stage, default: Tally()].passedOver[why.rawValue, default: 0] += 1
            case .wait: result[entry.letter.reason, default: [:]][entry.letter.stage, default: Tally()].waiting += 1
            }
        }
        return result
    }
}
