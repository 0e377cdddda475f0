import Foundation
import Synchronization

/// A child process this command started and owns: it is signalled and waited for by its PID only, never by name.
///
/// Output goes where the caller says: inherited, a file, or a line handler (for `tributary up`'s prefixed logs).
final class ChildProcess: Sendable {
    enum Output: Sendable {
        case inherit
        case discard
        case file(String)
        /// Each complete line of output, without its newline, on a background thread.
        case lines(@Sendable (String) -> Void)
    }

    let name: String
    /// `@unchecked`-free: `Process` is only touched under the mutex or after exit.
    private let process: Mutex<Process>
    private let exitStatus = ExitStatus()

    /// Starts `executable` with `arguments`.
    /// - Throws: when the executable cannot be started.
    init(
        name: String, executable: String, arguments: [String], environment: [String: String]? = nil,
        standardOutput: Output = .inherit, standardError: Output = .inherit
    ) throws {
        self.name = name
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try Self.handle(for: standardOutput)
        process.standardError = try Self.handle(for: standardError)
        self.process = Mutex(process)
        process.terminationHandler = { [exitStatus] finished in
            let signalled = finished.terminationReason == .uncaughtSignal
            exitStatus.finish(code: signalled ? 128 + finished.terminationStatus : finished.terminationStatus)
        }
        try process.run()
    }

    private static func handle(for output: Output) throws -> Any? {
        switch output {
        case .inherit:
            return nil
        case .discard:
            return FileHandle.nullDevice
        case .file(let path):
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        case .lines(let handler):
            let pipe = Pipe()
            let buffer = Mutex<[UInt8]>([])
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                let lines: [String] = buffer.withLock { pending in
                    if data.isEmpty {
                        // End of output: flush a last line without a newline.
                        handle.readabilityHandler = nil
                        defer { pending = [] }
                        return pending.isEmpty ? [] : [String(decoding: pending, as: UTF8.self)]
                    }
                    pending.append(contentsOf: data)
                    var complete: [String] = []
                    while let newline = pending.firstIndex(of: 10) {
                        complete.append(String(decoding: pending[..<newline], as: UTF8.self))
                        pending.removeSubrange(...newline)
                    }
                    return complete
                }
                lines.forEach(handler)
            }
            return pipe
        }
    }

    var pid: Int32 { process.withLock { $0.processIdentifier } }

    /// The exit code once the process has ended (128 + signal when a signal ended it).
    var exitCode: Int32? { exitStatus.code }

    /// Sends a signal to this child (by its PID).
    func signal(_ signal: Int32) {
        guard exitCode == nil else { return }
        kill(pid, signal)
    }

    /// Waits for the process to end and returns its exit code.
    func waitForExit() async -> Int32 {
        await exitStatus.wait()
    }

    /// Waits up to `timeout`; `nil` if the process is still running.
    func waitForExit(timeout: Duration) async -> Int32? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            if let code = exitCode { return code }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return exitCode
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace`.
    @discardableResult
    func stop(grace: Duration = .seconds(30)) async -> Int32 {
        signal(SIGTERM)
        if let code = await waitForExit(timeout: grace) { return code }
        signal(SIGKILL)
        return await waitForExit()
    }
}

/// A child's exit code, set once from Foundation's termination handler, and those waiting for it.
private final class ExitStatus: Sendable {
    private let state = Mutex<(code: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

    var code: Int32? { state.withLock { $0.code } }

    func finish(code: Int32) {
        let waiters = state.withLock { state in
            state.code = code
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume(returning: code) }
    }

    func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Int32? in
                if let code = state.code { return code }
                state.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }
}

/// Paths of the executables built next to this one (`c-relay`, `generator`, the services).
enum SiblingExecutable {
    static func path(_ name: String) -> String {
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent(name).path
    }
}
