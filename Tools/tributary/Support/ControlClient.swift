import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Calls the local broker's control API (always on 127.0.0.1).
struct ControlClient: Sendable {
    let address: String

    /// POSTs to a control path and fails unless the broker answers `{"ok":true}`.
    func post(_ pathAndQuery: String) async throws {
        guard let url = URL(string: "http://\(address)\(pathAndQuery)") else { throw ToolError("bad control path \(pathAndQuery)") }
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = "POST"
        let (data, response) = try await URLSession.shared.data(for: request)
        let body = String(decoding: data, as: UTF8.self)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw ToolError("broker control \(pathAndQuery): \(body)") }
    }
}
