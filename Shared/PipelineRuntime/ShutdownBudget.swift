import Foundation
public import Logging
import Synchronization

/// One clock for a service's whole shutdown: every step that waits after SIGTERM (closing consumers, flushing
/// producers, a last heartbeat, a webhook drain) takes its time from what is left of `--shutdown-timeout`, never
/// from a literal of its own, so the steps together cannot outlast the budget the pod's grace period allows.
///
/// Steps that give up with work not committed say so (``abandon(_:)``); the service then exits with
/// ``ServiceExitCode/abandoned`` instead of 0, so an orchestrator (and a person) can tell a clean stop from one whose
/// uncommitted input will be redelivered. If some wait ignores the budget anyway, the watchdog ends the process at
/// the deadline with the same code: a stop never takes longer than promised.
///
/// One per process (``shared``): a process has one shutdown, and the Kafka clients that must consult it are created
/// far from `ServiceMain`.
public final class ShutdownBudget: Sendable {
    public static let shared = ShutdownBudget()

    private struct State {
        var deadline: ContinuousClock.Instant?
        var abandoned: [String] = []
    }
    private let state = Mutex(State())

    public init() {}

    /// Starts the clock (the first call wins) and returns the deadline.
    @discardableResult
    public func begin(timeout: Duration) -> ContinuousClock.Instant {
        state.withLock { state in
            if let deadline = state.deadline { return deadline }
            let deadline = ContinuousClock.now.advanced(by: timeout)
            state.deadline = deadline
            return deadline
        }
    }

    /// When the shutdown must be over; `nil` before it began.
    public var deadline: ContinuousClock.Instant? { state.withLock { $0.deadline } }

    /// How long a step may wait: at most `cap`, and once shutdown began at most what is left of the budget after
    /// keeping `reserve` for the steps that come after it (never negative).
    public func allowance(cap: Duration, reserve: Duration = .zero) -> Duration {
        guard let deadline else { return cap }
        let left = ContinuousClock.now.duration(to: deadline) - reserve
        return max(.zero, min(cap, left))
    }

    /// Records work a step gave up on uncommitted (it will be redelivered to whoever consumes next).
    public func abandon(_ what: String) {
        state.withLock { $0.abandoned.append(what) }
    }

    /// What was given up, in order.
    public var abandoned: [String] { state.withLock { $0.abandoned } }

    /// The exit code the stop earned: 0, or ``ServiceExitCode/abandoned`` when some step gave up.
    public var exitCode: Int32 { abandoned.isEmpty ? ServiceExitCode.success : ServiceExitCode.abandoned }

    /// Ends the process at the deadline if it is still running then, whatever is still waiting: a thread of its
    /// own, since a stuck wait may hold every thread of Swift's cooperative pool.
    public func startWatchdog(logger: Logger) {
        guard let deadline else { return }
        let thread = Thread {
            let wait = ContinuousClock.now.duration(to: deadline)
            if wait > .zero { Thread.sleep(forTimeInterval: Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18) }
            logger.error(
                "shutdown budget ran out: exiting now; records consumed and not committed will be redelivered",
                metadata: ["exit_code": "\(ServiceExitCode.abandoned)", "abandoned": "\(ShutdownBudget.shared.abandoned)"])
            fflush(nil)  // every output stream: the log line above must not be lost to _exit
            _exit(ServiceExitCode.abandoned)
        }
        thread.name = "shutdown-watchdog"
        thread.start()
    }
}

/// The exit codes every service documents (README, docs/reliability.md).
public enum ServiceExitCode {
    /// Stopped cleanly: everything consumed was committed.
    public static let success: Int32 = 0
    /// Failed at start or while running (configuration, an environment fault it could not wait out, a bug).
    public static let failure: Int32 = 1
    /// Bad command line or configuration value.
    public static let usage: Int32 = 2
    /// Stopped on SIGTERM with work given up uncommitted (a close or flush ran out of the shutdown budget); that
    /// work is redelivered to the next consumer.
    public static let abandoned: Int32 = 3
}
