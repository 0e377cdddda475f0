import Foundation
import Logging
public import PipelineBigtable
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private Bigtable emulator (`cbtemulator`) on 127.0.0.1 and a free port, started for one
/// test and stopped (by the PID we started) when it ends.
public final class BigtableEmulator: Sendable {
    public static let binary = "/usr/lib/google-cloud-sdk/platform/bigtable-emulator/cbtemulator"
    public static let installHint =
        "the Bigtable emulator is missing at \(binary): install the Google Cloud CLI's Bigtable emulator "
        + "(`gcloud components install bigtable`, or Debian's google-cloud-cli-bigtable-emulator package)"

    public let port: Int
    private let process: Process

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    public var hostPort: String { "127.0.0.1:\(port)" }

    /// A client configuration pointing at this emulator.
    public func configuration(
        maxMutationsPerRequest: Int = 10_000, retryPolicy: BigtableRetryPolicy = BigtableRetryPolicy()
    ) -> BigtableConfiguration {
        BigtableConfiguration(
            projectID: "p", instanceID: "i", endpoint: .emulator(host: "127.0.0.1", port: port),
            maxMutationsPerRequest: maxMutationsPerRequest, retryPolicy: retryPolicy)
    }

    /// Starts an emulator, runs `body`, and stops the emulator whatever happens.
    public static func with<T>(_ body: (BigtableEmulator) async throws -> T) async throws -> T {
        let emulator = try await start()
        defer { emulator.stop() }
        return try await body(emulator)
    }

    /// Runs `body` with a connected client to a fresh emulator.
    public static func withClient<T: Sendable>(
        maxMutationsPerRequest: Int = 10_000, retryPolicy: BigtableRetryPolicy = BigtableRetryPolicy(),
        _ body: @Sendable (BigtableClient, BigtableEmulator) async throws -> T
    ) async throws -> T {
        try await with { emulator in
            try await withBigtableClient(
                configuration: emulator.configuration(
                    maxMutationsPerRequest: maxMutationsPerRequest, retryPolicy: retryPolicy),
                logger: Logger(label: "bigtable-test")
            ) { client in try await body(client, emulator) }
        }
    }

    public static func start() async throws -> BigtableEmulator {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            Issue.record(Comment(rawValue: installHint))
            throw EmulatorError.missing
        }
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-host", "127.0.0.1", "-port", String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let emulator = BigtableEmulator(port: port, process: process)
        for _ in 0..<200 {
            if canConnect(port: port) { return emulator }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        emulator.stop()
        throw EmulatorError.didNotStart(port)
    }

    /// Stops the emulator this instance started (SIGTERM to its PID, then reaps it).
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
    }

    /// Freezes the emulator (SIGSTOP): RPCs hang as if Bigtable were unreachable, and no data is lost.
    public func pause() {
        if process.isRunning { kill(process.processIdentifier, SIGSTOP) }
    }

    /// Thaws a paused emulator (SIGCONT).
    public func resume() {
        if process.isRunning { kill(process.processIdentifier, SIGCONT) }
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGCONT)
            kill(process.processIdentifier, SIGKILL)
        }
    }

    public enum EmulatorError: Error {
        case missing
        case didNotStart(Int)
    }

    // MARK: - Sockets

    /// Asks the kernel for a free loopback port (bind to port 0, read it back, close).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw EmulatorError.didNotStart(0) }
        defer { close(fd) }
        var address = Loopback.address(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw EmulatorError.didNotStart(0) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func canConnect(port: Int) -> Bool {
        guard let fd = Loopback.connect(port: port) else { return false }
        close(fd)
        return true
    }
}
