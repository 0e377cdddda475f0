import Foundation
import PipelineKafka
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension Spawned {
    /// The operations endpoint the service bound (it logs `http.address=HOST:PORT` when starting).
    func operationsAddress(within timeout: Duration = .seconds(30)) async -> String? {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if let range = stderr.range(of: #"http\.address=[0-9.]+:[0-9]+"#, options: .regularExpression) {
                return String(stderr[range].dropFirst("http.address=".count))
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// Runs a one-shot command to completion; its exit code and stdout.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], within timeout: Duration = .seconds(60)
    ) async throws -> (code: Int32?, stdout: String, stderr: String) {
        let process = try Spawned(executable, arguments, environment: environment)
        let code = await process.exitCode(within: timeout)
        return (code, process.stdout, process.stderr)
    }
}

/// GET over loopback; the body as text.
func httpGet(_ url: String) async throws -> (Int, String) {
    let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
}
