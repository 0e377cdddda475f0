import Foundation
import HTTPTestSupport
import Synchronization

/// The alert webhook for the chaos run: a loopback receiver that, while a fault is switched on, fails every post
/// in that way, and otherwise accepts it. Only accepted posts count as delivered.
final class ChaosWebhook: Sendable {
    private let fault = Mutex<WebhookFault?>(nil)
    private let accepted = Mutex<[String]>([])
    private let refused = Mutex<[WebhookFault: Int]>([:])
    private let server = Mutex<LoopbackServer?>(nil)

    init() throws {
        let server = try LoopbackServer { [weak self] request in
            guard let self else { return .text("gone", status: 503) }
            return self.answer(request.bodyText)
        }
        self.server.withLock { $0 = server }
    }

    var baseURL: String { server.withLock { $0?.baseURL ?? "" } }

    func set(_ fault: WebhookFault?) { self.fault.withLock { $0 = fault } }

    /// Bodies of the posts answered 200.
    var delivered: [String] { accepted.withLock { $0 } }
    var refusals: [WebhookFault: Int] { refused.withLock { $0 } }

    private func answer(_ body: String) -> LoopbackServer.Reply {
        guard let fault = fault.withLock({ $0 }) else {
            accepted.withLock { $0.append(body) }
            return .text("ok")
        }
        refused.withLock { $0[fault, default: 0] += 1 }
        switch fault {
        case .timeout: return .delayed(.seconds(12), .text("too late"))  // the sender gives up after 10 s
        case .http401: return .text("invalid_auth", status: 401)
        case .http429: return .text("rate_limited", status: 429, headers: [("Retry-After", "1")])
        case .http500: return .text("internal error", status: 500)
        case .truncated:
            return .raw(Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 64\r\nConnection: close\r\n\r\nok".utf8))
        }
    }

    func stop() { server.withLock { $0?.stop() } }
}
