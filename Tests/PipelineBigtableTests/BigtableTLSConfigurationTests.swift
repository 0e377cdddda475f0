import Foundation
import Logging
import PipelineBigtable
import Testing

/// TLS to Google's endpoints: the system store by default, or a CA bundle that must load at start.
@Suite struct BigtableTLSConfigurationTests {
    struct FixedToken: BigtableAccessTokenProvider {
        func accessToken() async throws -> String { "token" }
    }

    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test("the production endpoint builds with the system store and with a readable CA bundle")
    func readableBundle() throws {
        var configuration = BigtableConfiguration(projectID: "p", instanceID: "i")
        #expect(configuration.caFile == nil)
        _ = try BigtableClient(configuration: configuration, accessTokenProvider: FixedToken(), logger: Self.logger)

        let bundle = try Self.writeBundle()
        defer { try? FileManager.default.removeItem(atPath: bundle) }
        configuration.caFile = bundle
        _ = try BigtableClient(configuration: configuration, accessTokenProvider: FixedToken(), logger: Self.logger)
    }

    @Test("a CA file that cannot be loaded fails at start with a configuration error")
    func unreadableBundle() throws {
        for path in ["/nonexistent/tributary-bigtable-ca.pem", try Self.writeGarbage()] {
            let configuration = BigtableConfiguration(projectID: "p", instanceID: "i", caFile: path)
            let error = #expect(throws: BigtableError.self) {
                _ = try BigtableClient(configuration: configuration, accessTokenProvider: FixedToken(), logger: Self.logger)
            }
            #expect(error?.kind == .configuration, "\(path): \(String(describing: error))")
        }
    }

    @Test("the emulator stays plaintext whatever the CA file says")
    func emulatorIgnoresTheBundle() throws {
        let configuration = BigtableConfiguration(
            projectID: "p", instanceID: "i", endpoint: .emulator(host: "127.0.0.1", port: 8086),
            caFile: "/nonexistent/tributary-bigtable-ca.pem")
        _ = try BigtableClient(configuration: configuration, logger: Self.logger)
    }

    /// A self-signed certificate from `openssl`, so the test does not depend on the machine's CA store.
    static func writeBundle() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bt-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", directory + "/key.pem", "-out", directory + "/ca.pem", "-days", "1", "-subj", "/CN=tributary test CA",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return directory + "/ca.pem"
    }

    static func writeGarbage() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bt-garbage-\(UUID().uuidString).pem").path
        try Data("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n".utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
