import Foundation
import HTTPTestSupport
import Synchronization

/// A scripted Salesforce org on loopback for the extractor's process tests, until the generator's simulator is
/// used: OAuth2 token, describe, `/queryAll` with the extractor's watermark queries and `Id IN` queries,
/// cursors, `Sforce-Limit-Info` and faults applied to the next API calls.
final class FakeSalesforce: Sendable {
    struct Row: Sendable, Equatable {
        var id: String
        var modstampMs: Int64
        var name: String
        var revenue: String
        var deleted: Bool
    }

    enum Fault: Sendable {
        case expiredToken
        case status429(retryAfter: Int)
        case status503(retryAfter: Int)
        /// A complete HTTP response whose JSON body is cut short.
        case truncatedJSON
        /// A Content-Length longer than the body sent before the connection closes.
        case truncatedTransfer
        case requestLimit
        case slow(milliseconds: Int)
    }

    struct State: Sendable {
        var rows: [Row] = []
        var tokens: Set<String> = []
        var issued = 0
        var used = 0
        var maximum = 100_000
        var faults: [Fault] = []
        /// Applied to every API response: a delay in milliseconds.
        var delayMs = 0
        var cursors: [String: [Row]] = [:]
        var nextCursor = 0
        var served: [String: Int] = [:]
        /// Extra field names the describe response lists (SOQL injection attempts); the extractor must skip them.
        var extraDescribedFields: [String] = []
    }

    let state = Mutex(State())
    let server: LoopbackServer
    let baseURL: String

    init(rows: [Row]) throws {
        let box = HandlerBox()
        server = try LoopbackServer { request in box.handle(request) }
        baseURL = server.baseURL
        state.withLock { $0.rows = rows }
        box.fake.withLock { $0 = WeakFake(self) }
    }

    /// Routes the server's requests to the fake once it exists; weak, so the fake can be released.
    private final class HandlerBox: Sendable {
        let fake = Mutex<WeakFake>(WeakFake())
        func handle(_ request: LoopbackServer.Request) -> LoopbackServer.Reply {
            guard let fake = fake.withLock({ $0.value }) else { return .response(status: 503) }
            return fake.handle(request)
        }
    }

    private struct WeakFake: Sendable {
        weak var value: FakeSalesforce?
        init(_ value: FakeSalesforce? = nil) { self.value = value }
    }

    /// `count` accounts, three per SystemModstamp (ties), every seventh deleted.
    static func accounts(_ count: Int, base: Int64 = 1_796_040_000_000) -> [Row] {
        (0..<count).map { index in
            Row(
                id: String(format: "001%012dAAA", index), modstampMs: base + Int64(index / 3) * 1_000, name: "Account \(index)",
                revenue: "\(index * 1000).50", deleted: index % 7 == 3)
        }
    }

    func inject(_ faults: [Fault]) { state.withLock { $0.faults += faults } }

    var apiUsed: Int { state.withLock { $0.used } }

    // MARK: - Serving

    fileprivate func handle(_ request: LoopbackServer.Request) -> LoopbackServer.Reply {
        let path = request.target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        if request.method == "POST", path == "/services/oauth2/token" {
            let token = state.withLock { state -> String in
                state.issued += 1
                let token = "tok\(state.issued)"
                state.tokens.insert(token)
                return token
            }
            return .json(#"{"access_token":"\#(token)","instance_url":"\#(baseURL)","token_type":"Bearer","issued_at":"1"}"#)
        }
        let (fault, delay, usage, authorized) = state.withLock { state -> (Fault?, Int, String, Bool) in
            state.used += 1
            state.served[path.hasPrefix("/services/data/v62.0/query") ? "query" : path, default: 0] += 1
            let fault = state.faults.isEmpty ? nil : state.faults.removeFirst()
            let token = request.header("authorization")?.replacingOccurrences(of: "Bearer ", with: "") ?? ""
            return (fault, state.delayMs, "api-usage=\(state.used)/\(state.maximum)", state.tokens.contains(token))
        }
        let limit = [("Sforce-Limit-Info", usage)]
        var reply = answer(request, path: path, authorized: authorized, fault: fault, limit: limit)
        if case .slow(let ms) = fault { reply = .delayed(.milliseconds(ms), reply) }
        return delay > 0 ? .delayed(.milliseconds(delay), reply) : reply
    }

    private func answer(
        _ request: LoopbackServer.Request, path: String, authorized: Bool, fault: Fault?, limit: [(String, String)]
    ) -> LoopbackServer.Reply {
        let json = [("Content-Type", "application/json")] + limit
        switch fault {
        case .expiredToken:
            state.withLock { $0.tokens.removeAll() }
            return .response(status: 401, headers: json, body: Array(#"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#.utf8))
        case .status429(let seconds):
            return .response(status: 429, headers: json + [("Retry-After", "\(seconds)")], body: Array("[]".utf8))
        case .status503(let seconds):
            return .response(status: 503, headers: json + [("Retry-After", "\(seconds)")], body: Array("busy".utf8))
        case .requestLimit:
            return .response(status: 403, headers: json, body: Array(#"[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#.utf8))
        default:
            break
        }
        guard authorized else {
            return .response(status: 401, headers: json, body: Array(#"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#.utf8))
        }
        let body: String
        if path == "/services/data/v62.0/sobjects/Account/describe" {
            let extra = state.withLock { $0.extraDescribedFields }.map { name in
                let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                return #"{"name":"\#(escaped)","type":"string","nillable":true,"updateable":true}"#
            }
            body = #"{"name":"Account","fields":["#
                + (["Id:id", "IsDeleted:boolean", "Name:string", "AnnualRevenue:currency", "SystemModstamp:datetime", "BillingAddress:address"]
                .map { field in
                    let parts = field.split(separator: ":")
                    return #"{"name":"\#(parts[0])","type":"\#(parts[1])","nillable":true,"updateable":false}"#
                } + extra).joined(separator: ",") + "]}"
        } else if path == "/services/data/v62.0/queryAll" {
            let query = request.target.split(separator: "=", maxSplits: 1).last.map(String.init)?.removingPercentEncoding ?? ""
            guard let rows = select(query) else {
                return .response(status: 400, headers: json, body: Array(#"[{"message":"bad","errorCode":"MALFORMED_QUERY"}]"#.utf8))
            }
            let size = Int(request.header("sforce-query-options")?.split(separator: "=").last ?? "") ?? 2000
            body = page(rows, size: max(200, size))
        } else if path.hasPrefix("/services/data/v62.0/query/") {
            let cursor = String(path.dropFirst("/services/data/v62.0/query/".count))
            guard let rows = state.withLock({ $0.cursors.removeValue(forKey: cursor) }) else {
                return .response(status: 400, headers: json, body: Array(#"[{"message":"bad","errorCode":"INVALID_QUERY_LOCATOR"}]"#.utf8))
            }
            body = page(rows, size: 200)
        } else {
            return .response(status: 404, headers: json, body: Array(#"[{"message":"no","errorCode":"NOT_FOUND"}]"#.utf8))
        }
        switch fault {
        case .truncatedJSON:
            return .response(status: 200, headers: json, body: Array(body.utf8.prefix(body.utf8.count / 2)))
        case .truncatedTransfer:
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nSforce-Limit-Info: \(limit[0].1)\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
            return .raw(Array(head.utf8) + Array(body.utf8.prefix(body.utf8.count / 2)))
        default:
            return .response(status: 200, headers: json, body: Array(body.utf8))
        }
    }

    /// Runs the extractor's query shapes against the rows, or nil for anything else.
    private func select(_ query: String) -> [Row]? {
        guard query.hasPrefix("SELECT Id, IsDeleted, Name, AnnualRevenue, SystemModstamp FROM Account") else { return nil }
        let rows = state.withLock { $0.rows }.sorted { ($0.modstampMs, $0.id) < ($1.modstampMs, $1.id) }
        let literal = #"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"#
        if let match = query.firstMatch(of: try! Regex(#"WHERE SystemModstamp > \#(literal) OR \(SystemModstamp = \#(literal) AND Id > '(\w+)'\)"#)) {
            guard let stamp = Self.milliseconds(String(match.output[1].substring!)), match.output[1].substring == match.output[2].substring else { return nil }
            let id = String(match.output[3].substring!)
            return rows.filter { $0.modstampMs > stamp || ($0.modstampMs == stamp && $0.id > id) }
        }
        if let match = query.firstMatch(of: try! Regex(#"WHERE SystemModstamp >= \#(literal)"#)) {
            guard let stamp = Self.milliseconds(String(match.output[1].substring!)) else { return nil }
            return rows.filter { $0.modstampMs >= stamp }
        }
        if let match = query.firstMatch(of: try! Regex(#"WHERE Id IN \(([^)]*)\)"#)) {
            let ids = Set(match.output[1].substring!.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " '")) })
            return rows.filter { ids.contains($0.id) }
        }
        return query.contains("WHERE") ? nil : rows
    }

    private func page(_ rows: [Row], size: Int) -> String {
        let shown = rows.prefix(size)
        var next = ""
        if rows.count > size {
            let cursor = state.withLock { state -> String in
                state.nextCursor += 1
                let cursor = "01gFAKE\(state.nextCursor)-\(size)"
                state.cursors[cursor] = Array(rows.dropFirst(size))
                return cursor
            }
            next = #","nextRecordsUrl":"/services/data/v62.0/query/\#(cursor)""#
        }
        let records = shown.map { row in
            #"{"attributes":{"type":"Account","url":"/services/data/v62.0/sobjects/Account/\#(row.id)"},"Id":"\#(row.id)","#
                + #""IsDeleted":\#(row.deleted),"Name":"\#(row.name)","AnnualRevenue":\#(row.revenue),"#
                + #""SystemModstamp":"\#(Self.render(row.modstampMs))"}"#
        }
        return #"{"totalSize":\#(rows.count),"done":\#(rows.count <= size)\#(next),"records":[\#(records.joined(separator: ","))]}"#
    }

    static func render(_ ms: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'+0000'"
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    static func milliseconds(_ literal: String) -> Int64? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        return formatter.date(from: literal).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }
}
