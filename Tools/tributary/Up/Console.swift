import Foundation
import Glibc
import PipelineRuntime
import Synchronization

/// `tributary up`'s terminal: every child's log lines with a fixed-width, coloured name prefix, interleaved
/// line by line (never mid-line), and the command's own notes.
struct Console: Sendable {
    private let colours = isatty(STDERR_FILENO) == 1
    private static let palette = [36, 33, 35, 32, 34, 31, 96, 93]
    private let assigned = ColourAssignments()

    func prefixed(_ name: String) -> ChildProcess.Output {
        let prefix = label(name)
        return .lines { line in LogSink.standardError.write(Array((prefix + line + "\n").utf8)) }
    }

    func note(_ text: String) {
        LogSink.standardError.write(Array((label("up") + text + "\n").utf8))
    }

    private func label(_ name: String) -> String {
        let padded = name.count >= 10 ? name : name + String(repeating: " ", count: 10 - name.count)
        guard colours else { return padded + "| " }
        let colour = Self.palette[assigned.index(for: name) % Self.palette.count]
        return "\u{1B}[\(colour)m\(padded)|\u{1B}[0m "
    }
}

/// Gives each name a stable colour in order of first use.
private final class ColourAssignments: Sendable {
    private let names = Mutex<[String]>([])
    func index(for name: String) -> Int {
        names.withLock { names in
            if let index = names.firstIndex(of: name) { return index }
            names.append(name)
            return names.count - 1
        }
    }
}

/// Collects a child's stdout lines (its JSON summary) from the pipe's thread.
final class LineCollector: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ line: String) { storage.withLock { $0.append(line) } }
    var lines: [String] { storage.withLock { $0 } }
}
