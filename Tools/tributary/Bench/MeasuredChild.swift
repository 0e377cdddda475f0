import Foundation
import PipelineRuntime

/// A bench child process that measures itself: it does a fixed amount of work, prints one JSON line with its
/// `messages`, `seconds` and `cpu_seconds` (c-relay, `tributary relay --count`, the services' `--exit-after`, the
/// Python baseline) and exits. Its figures are its own process's only: the broker and this bench are elsewhere.
struct MeasuredChild: Sendable {
    /// What the child printed, parsed: the timing and whatever else it reports (counts, reasons).
    struct Result: @unchecked Sendable {  // `fields` holds only JSONSerialization's immutable values
        var messages: Int
        var seconds: Double
        var cpuSeconds: Double
        var fields: [String: Any]
    }

    var name: String
    var executable: String
    var arguments: [String]
    /// Extra environment variables on top of this process's own.
    var environment: [String: String] = [:]
    var timeout: Duration = .seconds(240)

    /// Starts the child; returns it running, with the file its output goes to.
    func start() throws -> (ChildProcess, outputPath: String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tributary-bench-\(getpid())-\(name)-\(UInt32.random(in: 0...UInt32.max))").path
        let child = try ChildProcess(
            name: name, executable: executable, arguments: arguments,
            environment: environment.isEmpty ? nil : ProcessInfo.processInfo.environment.merging(environment) { $1 },
            standardOutput: .file(base + ".out"), standardError: .file(base + ".err"))
        return (child, base)
    }

    /// Runs the child to its end and reads its JSON line.
    /// - Throws: when it does not finish in time, fails, or reports fewer than `expected` messages.
    func run(expected: Int) async throws -> Result {
        let (child, base) = try start()
        return try await finish(child, base: base, expected: expected)
    }

    /// Waits for a child from ``start()`` and reads its JSON line.
    func finish(_ child: ChildProcess, base: String, expected: Int) async throws -> Result {
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        guard let code = await child.waitForExit(timeout: timeout) else {
            await child.stop(grace: .seconds(5))
            throw ToolError("\(name) did not finish within \(timeout)\(Self.tail(base + ".err"))")
        }
        let text = (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? ""
        guard code == 0, let line = text.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let seconds = (object["seconds"] as? NSNumber)?.doubleValue,
            let cpu = (object["cpu_seconds"] as? NSNumber)?.doubleValue,
            let messages = (object["messages"] as? NSNumber)?.intValue
        else {
            throw ToolError("\(name) exited with \(code) and printed: \(text)\(Self.tail(base + ".err"))")
        }
        guard messages >= expected else { throw ToolError("\(name) handled \(messages) of \(expected) messages") }
        return Result(messages: messages, seconds: seconds, cpuSeconds: cpu, fields: object)
    }

    /// The end of a child's stderr, for error messages.
    private static func tail(_ path: String) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), !text.isEmpty else { return "" }
        return "; stderr ends: " + String(text.suffix(1_500))
    }
}

/// Runs a helper command (protoc, pip, cbt) to completion and returns its exit code, standard output and error.
enum HelperCommand {
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        timeout: Duration = .seconds(300)
    ) async throws -> (code: Int32, output: String, errors: String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tributary-bench-\(getpid())-helper-\(UInt32.random(in: 0...UInt32.max))").path
        defer {
            try? FileManager.default.removeItem(atPath: path + ".out")
            try? FileManager.default.removeItem(atPath: path + ".err")
        }
        let child = try ChildProcess(
            name: URL(fileURLWithPath: executable).lastPathComponent, executable: executable, arguments: arguments,
            environment: environment.isEmpty ? nil : ProcessInfo.processInfo.environment.merging(environment) { $1 },
            standardOutput: .file(path + ".out"), standardError: .file(path + ".err"))
        guard let code = await child.waitForExit(timeout: timeout) else {
            await child.stop(grace: .seconds(5))
            throw ToolError("\(executable) \(arguments.joined(separator: " ")) did not finish within \(timeout)")
        }
        let output = (try? String(contentsOfFile: path + ".out", encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: path + ".err", encoding: .utf8)) ?? ""
        return (code, output, errors)
    }
}
