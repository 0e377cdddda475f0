import Foundation
import SalesforceModel

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `generator salesforce-api` for one test: a seeded org on a free loopback port, its control API, stopped with
/// the test (SIGTERM when released).
final class SimulatorProcess: Sendable {
    let process: Spawned
    let baseURL: String

    /// - Parameter arguments: org and simulator options after `salesforce-api` (listen address, address file and
    ///   metrics port are set here).
    init(arguments: [String]) async throws {
        let addressFile = FileManager.default.temporaryDirectory.appendingPathComponent("sim-\(UUID().uuidString)").path
        process = try Spawned(
            "generator",
            ["salesforce-api", "--listen", "127.0.0.1:0", "--address-file", addressFile, "--metrics-port", "0"]
                + arguments)
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        var address: String?
        while address == nil, ContinuousClock.now < deadline {
            address = (try? String(contentsOfFile: addressFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            if address?.isEmpty != false { address = nil }
            if address == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard let address else { throw TestFailure("the simulator did not publish its address: \(process.stderr)") }
        baseURL = address.hasPrefix("http") ? address : "http://" + address
    }

    /// The simulator serving `configuration`'s org (the same options `generator cdc` takes).
    convenience init(org configuration: SalesforceOrg.Configuration) async throws {
        try await self.init(arguments: Self.orgArguments(configuration))
    }

    static func orgArguments(_ configuration: SalesforceOrg.Configuration) -> [String] {
        [
            "--seed", "\(configuration.seed)", "--records", "\(configuration.recordsPerObject)",
            "--changes", "\(configuration.changes)", "--gap-share", "\(configuration.gapShare)",
            "--merge-share", "\(configuration.mergeShare)", "--overflow-threshold", "\(configuration.overflowThreshold)",
            "--base-time", "\(configuration.baseTimeMs)", "--duration-ms", "\(configuration.durationMs)",
        ]
    }

    /// Calls the simulator's control API (`/_sim/…`); fails the test on a non-2xx answer.
    func control(_ method: String, _ path: String, body: String? = nil) async throws {
        var request = URLRequest(url: URL(string: baseURL + path)!, timeoutInterval: 10)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw TestFailure("\(method) \(path): \(status) \(String(decoding: data, as: UTF8.self))")
        }
    }

    /// Moves the org clock: the REST API serves the org as of `ms`.
    func setClock(_ ms: Int64) async throws {
        try await control("POST", "/_sim/clock", body: #"{"asOf":\#(ms)}"#)
    }

    /// `/_sim/stats`: requests by path, faults served, API usage.
    func stats() async throws -> [String: Any] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: baseURL + "/_sim/stats")!)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    deinit { process.signal(SIGTERM) }
}
