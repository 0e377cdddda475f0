import Glibc
public import Logging
import Synchronization
import UnixSignals

/// The `main` of a one-shot command (`tributary query`, `generator events --expect`): read options, run once, exit.
///
/// Like ``ServiceMain`` it handles `--help` (exit 0) and configuration errors (exit 2) and bootstraps logging
/// (default level `warning`, so command output on stdout stays the point), but it binds no endpoint. The body runs
/// as a task; the first SIGINT or SIGTERM cancels it (exit 128 + signal number, so 130 for Ctrl-C), a second one
/// exits at once. The body's return value is the exit code; a thrown error is logged at `critical` and exits 1.
public struct CommandMain<Configuration: Sendable>: Sendable {
    /// The name in log lines.
    public var name: String
    /// The command in usage lines, for example `tributary query events`.
    public var command: String
    /// What the command does, for `--help`.
    public var summary: String
    /// The `--log-level` default.
    public var defaultLogLevel: Logger.Level
    private let readConfiguration: @Sendable (ConfigReader) -> Configuration
    private let body: @Sendable (Configuration, Logger) async throws -> Int32

    /// Describes a command.
    /// - Parameters:
    ///   - name: The name in log lines, for example `tributary`.
    ///   - command: The usage-line command; `name` by default.
    ///   - summary: One paragraph for `--help`.
    ///   - defaultLogLevel: The `--log-level` default.
    ///   - configuration: Reads the command's options and positionals (positionals last).
    ///   - body: Does the work and returns the exit code.
    public init(
        name: String,
        command: String? = nil,
        summary: String,
        defaultLogLevel: Logger.Level = .warning,
        configuration: @escaping @Sendable (ConfigReader) -> Configuration,
        body: @escaping @Sendable (Configuration, Logger) async throws -> Int32
    ) {
        self.name = name
        self.command = command ?? name
        self.summary = summary
        self.defaultLogLevel = defaultLogLevel
        self.readConfiguration = configuration
        self.body = body
    }

    /// Reads arguments and environment without side effects.
    public func prepare(arguments: [String], environment: [String: String]) -> StartupDecision<Configuration> {
        let reader = ConfigReader(
            arguments: arguments, environment: environment, command: self.command, summary: self.summary)
        return Startup.decide(
            reader: reader, readConfiguration: self.readConfiguration, readServiceOptions: nil,
            defaultLogLevel: self.defaultLogLevel)
    }

    /// Runs the command and exits with its code.
    public func run(
        arguments: [String] = ProcessEnvironment.arguments,
        environment: [String: String] = ProcessEnvironment.current()
    ) async -> Never {
        switch self.prepare(arguments: arguments, environment: environment) {
        case .help(let text):
            print(text, terminator: "")
            exit(0)
        case .invalid(let message):
            ProcessEnvironment.printError(message)
            exit(2)
        case .start(let startup):
            LoggingBootstrap.bootstrap(service: self.name, format: startup.logging.format, level: startup.logging.level)
            let logger = Logger(label: self.name)
            logger.debug("starting", metadata: startup.describedConfiguration)
            let body = self.body
            let code = await Self.runCancellable(logger: logger) { try await body(startup.configuration, logger) }
            exit(code)
        }
    }

    /// Runs `operation`, cancelling it on the first SIGINT/SIGTERM and exiting on the second.
    /// - Returns: The operation's exit code, 128 + signal after a signal, or 1 after an error.
    public static func runCancellable(
        logger: Logger, _ operation: @escaping @Sendable () async throws -> Int32
    ) async -> Int32 {
        let signals = await UnixSignalsSequence(trapping: [.sigint, .sigterm])
        let caught = Mutex<UnixSignal?>(nil)
        let task = Task { try await operation() }
        let watcher = Task {
            for await signal in signals {
                let first = caught.withLock { seen in
                    defer { seen = seen ?? signal }
                    return seen == nil
                }
                guard first else { exit(128 + signal.rawValue) }
                logger.notice("cancelling on signal", metadata: ["signal": "\(signal)"])
                task.cancel()
            }
        }
        let result = await task.result
        watcher.cancel()
        if let signal = caught.withLock({ $0 }) { return 128 + signal.rawValue }
        switch result {
        case .success(let code):
            return code
        case .failure(let error):
            logger.critical("command failed", metadata: ["error": "\(error)"])
            return 1
        }
    }
}
