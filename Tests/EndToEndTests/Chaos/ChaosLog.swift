import Foundation
import Synchronization

/// Every fault the run injected and every end-of-run check, printed as a table (and written as markdown and JSON
/// when `TRIBUTARY_CHAOS_REPORT` names a path prefix, for docs/reliability.md).
final class ChaosLog: Sendable {
    struct Fault: Sendable {
        var kind: String
        var atSeconds: Double
        var detail: String
        /// How it ended: the killed process's exit, the restart, how long the fault was held.
        var outcome: String
        var ok: Bool
    }

    struct Check: Sendable {
        var name: String
        var expected: String
        var actual: String
        var ok: Bool
        /// A failure the run is known to show, with the reason (the test records it as a known issue).
        var knownIssue: String?
    }

    private let started = ContinuousClock.now
    private let state = Mutex<(faults: [Fault], checks: [Check], notes: [String])>(([], [], []))

    var elapsedSeconds: Double {
        let (seconds, attoseconds) = (ContinuousClock.now - started).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    func fault(_ kind: String, detail: String, outcome: String, ok: Bool = true, at: Double? = nil) {
        let fault = Fault(kind: kind, atSeconds: at ?? elapsedSeconds, detail: detail, outcome: outcome, ok: ok)
        state.withLock { $0.faults.append(fault) }
    }

    @discardableResult
    func check(_ name: String, expected: String, actual: String, _ ok: Bool, knownIssue: String? = nil) -> Bool {
        let check = Check(name: name, expected: expected, actual: actual, ok: ok, knownIssue: knownIssue)
        state.withLock { $0.checks.append(check) }
        return ok
    }

    func note(_ text: String) { state.withLock { $0.notes.append(text) } }

    var faults: [Fault] { state.withLock { $0.faults } }
    var checks: [Check] { state.withLock { $0.checks } }

    /// Faults grouped by kind: how many, when (first–last, seconds into the run), and how they ended.
    func markdown(title: String) -> String {
        let (faults, checks, notes) = state.withLock { ($0.faults, $0.checks, $0.notes) }
        var lines = ["### \(title)", "", "| Fault | Injected | When (s into the run) | Outcome |", "|---|---:|---|---|"]
        var order: [String] = []
        var byKind: [String: [Fault]] = [:]
        for fault in faults {
            if byKind[fault.kind] == nil { order.append(fault.kind) }
            byKind[fault.kind, default: []].append(fault)
        }
        for kind in order.sorted() {
            let group = byKind[kind]!
            let times = group.map(\.atSeconds)
            let failed = group.filter { !$0.ok }.count
            let outcomes = Dictionary(grouping: group.map(\.outcome), by: { $0 }).map { "\($0.key) ×\($0.value.count)" }.sorted()
            let when = String(format: "%.0f–%.0f", times.min() ?? 0, times.max() ?? 0)
            lines.append("| \(kind) | \(group.count)\(failed > 0 ? " (\(failed) failed)" : "") | \(when) | \(outcomes.joined(separator: "; ")) |")
        }
        lines += ["", "| Check | Expected | Actual | Result |", "|---|---|---|---|"]
        for check in checks { lines.append("| \(check.name) | \(check.expected) | \(check.actual) | \(check.ok ? "ok" : "**FAILED**\(check.knownIssue.map { " (known: \($0))" } ?? "")") |") }
        if !notes.isEmpty { lines += [""] + notes.map { "- \($0)" } }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `<prefix>.md` and `<prefix>.json` (every fault and check, unsummarised).
    func write(prefix: String, title: String) throws {
        try markdown(title: title).write(toFile: prefix + ".md", atomically: true, encoding: .utf8)
        let (faults, checks) = state.withLock { ($0.faults, $0.checks) }
        let json: [String: Any] = [
            "faults": faults.map { ["kind": $0.kind, "at_s": $0.atSeconds, "detail": $0.detail, "outcome": $0.outcome, "ok": $0.ok] },
            "checks": checks.map { ["name": $0.name, "expected": $0.expected, "actual": $0.actual, "ok": $0.ok] },
        ]
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
            .write(to: URL(fileURLWithPath: prefix + ".json"))
    }
}
