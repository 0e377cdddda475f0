import Foundation
import Synchronization

/// The long-running services of the chaos run, each restartable: SIGKILL by PID, wait for the exit, start the
/// same command again. Every instance ever started is kept (its PID names its heartbeat instance, and its stderr is
/// evidence when a check fails).
final class ChaosProcesses: Sendable {
    struct Instance: Sendable {
        var service: String
        var process: Spawned
        var startedAt: Double
        var killedAt: Double?
    }

    private let commands: [String: @Sendable () throws -> Spawned]
    private let instances = Mutex<[Instance]>([])
    private let log: ChaosLog

    init(log: ChaosLog, commands: [String: @Sendable () throws -> Spawned]) {
        self.log = log
        self.commands = commands
    }

    func start(_ service: String) throws {
        let process = try commands[service]!()
        let instance = Instance(service: service, process: process, startedAt: log.elapsedSeconds)
        instances.withLock { $0.append(instance) }
    }

    /// The running instance of a service.
    func current(_ service: String) -> Spawned? {
        instances.withLock { $0.last { $0.service == service && $0.killedAt == nil }?.process }
    }

    var all: [Instance] { instances.withLock { $0 } }

    /// SIGKILL, then a restart after `downFor`; logged with the exit status and how long the service was down.
    func killAndRestart(_ service: String, downFor: Duration) async {
        let at = log.elapsedSeconds
        guard let process = current(service) else {
            log.fault("SIGKILL \(service)", detail: "no running instance", outcome: "skipped", ok: false, at: at)
            return
        }
        process.signal(SIGKILL)
        let code = await process.exitCode(within: .seconds(10))
        instances.withLock { list in
            if let index = list.lastIndex(where: { $0.process === process }) { list[index].killedAt = at }
        }
        try? await Task.sleep(for: downFor)
        do {
            try start(service)
            let exit = code.map { $0 == SIGKILL ? "killed" : "exit \($0)" } ?? "no exit"
            log.fault(
                "SIGKILL \(service)", detail: "pid \(process.pid)",
                outcome: "\(exit), restarted", ok: code != nil, at: at)
        } catch {
            log.fault("SIGKILL \(service)", detail: "pid \(process.pid)", outcome: "restart failed: \(error)", ok: false, at: at)
        }
    }

    /// Ends every running instance with SIGTERM; the services whose graceful stop failed, with their exit codes.
    func stopAll() async -> [String: Int32?] {
        let running = instances.withLock { $0.filter { $0.killedAt == nil } }
        for instance in running { instance.process.signal(SIGTERM) }
        var failed: [String: Int32?] = [:]
        for instance in running {
            let code = await instance.process.exitCode(within: .seconds(30))
            if code != 0 { failed[instance.service] = .some(code) }
        }
        return failed
    }

    /// Copies every instance's stderr to `directory` as `<service>-<pid>.log`: the evidence of a long run.
    func saveLogs(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for instance in all {
            let target = "\(directory)/\(instance.service)-\(instance.process.pid).log"
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: instance.process.stderrPath, toPath: target)
        }
    }

    /// The last lines of every instance's stderr of a service, for a failure message.
    func stderr(_ service: String, lines: Int = 20) -> String {
        instances.withLock { $0.filter { $0.service == service } }.map { instance in
            "--- \(service) pid \(instance.process.pid):\n"
                + instance.process.stderr.split(separator: "\n").suffix(lines).joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
