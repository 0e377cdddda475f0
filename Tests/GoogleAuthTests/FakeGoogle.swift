import Foundation
import HTTPTestSupport
import Synchronization
import _CryptoExtras

/// A loopback stand-in for Google's token endpoint and metadata server. The token endpoint verifies the JWT's
/// RS256 signature with the test key's public half and checks its claims before minting `token-N`.
final class FakeGoogle: Sendable {
    enum Mode: Sendable {
        case ok
        case unauthorized
        case notJSON
    }

    /// The test key, generated once per test process (RSA key generation is slow in debug builds).
    static let key: _RSA.Signing.PrivateKey = {
        do {
            return try _RSA.Signing.PrivateKey(keySize: .bits2048)
        } catch {
            fatalError("cannot generate the test RSA key: \(error)")
        }
    }()
    static let clientEmail = "writer@tributary-test.iam.gserviceaccount.com"
    static let scope =
        "https://www.googleapis.com/auth/bigtable.data https://www.googleapis.com/auth/bigtable.admin.table"

    let mode = Mutex(Mode.ok)
    let expiresIn = Mutex(3600)
    let replyDelay = Mutex(Duration.zero)
    let minted = Mutex(0)
    /// Everything the server found wrong with a JWT; tests expect it empty.
    let problems = Mutex<[String]>([])
    private let serverBox = Mutex<LoopbackServer?>(nil)

    init() throws {
        let server = try LoopbackServer { [weak self] request in
            self?.handle(request) ?? .text("gone", status: 503)
        }
        self.serverBox.withLock { $0 = server }
    }

    var server: LoopbackServer { self.serverBox.withLock { $0! } }
    var tokenURI: String { self.server.baseURL + "/token" }
    var metadataHost: String { "127.0.0.1:\(self.server.port)" }

    func stop() {
        self.server.stop()
    }

    /// Writes a key file for the test key pointing at this server; returns its path.
    func writeKeyFile(extra: [String: String] = [:]) throws -> String {
        var json: [String: String] = [
            "type": "service_account", "project_id": "tributary-test", "private_key_id": "kid-1",
            "private_key": Self.key.pkcs8PEMRepresentation, "client_email": Self.clientEmail,
            "token_uri": self.tokenURI,
        ]
        json.merge(extra) { $1 }
        return try Self.writeTemporary(try JSONSerialization.data(withJSONObject: json))
    }

    static func writeTemporary(_ data: Data) throws -> String {
        let path = NSTemporaryDirectory() + "tributary-key-\(UInt64.random(in: 0...UInt64.max)).json"
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    // MARK: - Server side

    private func handle(_ request: LoopbackServer.Request) -> LoopbackServer.Reply {
        let delay = self.replyDelay.withLock { $0 }
        let reply: LoopbackServer.Reply
        switch (request.method, request.target.split(separator: "?").first.map(String.init) ?? "") {
        case ("POST", "/token"):
            reply = self.tokenEndpoint(request)
        case ("GET", "/computeMetadata/v1/instance/service-accounts/default/token"):
            reply =
                request.header("metadata-flavor") == "Google"
                ? self.mint() : .text("Missing Metadata-Flavor:Google header.", status: 403)
        default:
            reply = .text("not found", status: 404)
        }
        return delay > .zero ? .delayed(delay, reply) : reply
    }

    private func tokenEndpoint(_ request: LoopbackServer.Request) -> LoopbackServer.Reply {
        let form = Self.parseForm(request.bodyText)
        var problems: [String] = []
        if request.header("content-type") != "application/x-www-form-urlencoded" { problems.append("content type") }
        if form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" { problems.append("grant_type") }
        problems += self.verify(form["assertion"] ?? "")
        if !problems.isEmpty {
            self.problems.withLock { $0 += problems }
            return .json(#"{"error":"invalid_grant","error_description":"Invalid JWT"}"#, status: 400)
        }
        return self.mint()
    }

    private func mint() -> LoopbackServer.Reply {
        switch self.mode.withLock({ $0 }) {
        case .unauthorized:
            return .json(
                #"{"error":"invalid_client","error_description":"The OAuth client was disabled."}"#, status: 401)
        case .notJSON:
            return .response(status: 200, headers: [("Content-Type", "text/html")], body: Array("<html>hi</html>".utf8))
        case .ok:
            let number = self.minted.withLock { count in
                count += 1
                return count
            }
            let expires = self.expiresIn.withLock { $0 }
            return .json(#"{"access_token":"token-\#(number)","expires_in":\#(expires),"token_type":"Bearer"}"#)
        }
    }

    /// Checks signature, header and claims; returns what is wrong.
    private func verify(_ assertion: String) -> [String] {
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let header = Self.base64URLDecode(parts[0]),
            let claims = Self.base64URLDecode(parts[1]),
            let signature = Self.base64URLDecode(parts[2])
        else { return ["assertion is not three base64url parts"] }
        var problems: [String] = []
        let valid = Self.key.publicKey.isValidSignature(
            _RSA.Signing.RSASignature(rawRepresentation: signature), for: Data((parts[0] + "." + parts[1]).utf8),
            padding: .insecurePKCS1v1_5)
        if !valid { problems.append("signature does not verify") }
        let headerJSON = (try? JSONSerialization.jsonObject(with: header)) as? [String: Any] ?? [:]
        if headerJSON["alg"] as? String != "RS256" || headerJSON["typ"] as? String != "JWT" {
            problems.append("header")
        }
        if headerJSON["kid"] as? String != "kid-1" { problems.append("kid") }
        let claimsJSON = (try? JSONSerialization.jsonObject(with: claims)) as? [String: Any] ?? [:]
        if claimsJSON["iss"] as? String != Self.clientEmail { problems.append("iss") }
        if claimsJSON["scope"] as? String != Self.scope { problems.append("scope") }
        if claimsJSON["aud"] as? String != self.tokenURI { problems.append("aud") }
        let iat = (claimsJSON["iat"] as? NSNumber)?.int64Value ?? 0
        let exp = (claimsJSON["exp"] as? NSNumber)?.int64Value ?? 0
        if abs(iat - Int64(Date().timeIntervalSince1970)) > 60 { problems.append("iat") }
        if exp - iat != 3600 { problems.append("exp") }
        return problems
    }

    static func base64URLDecode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }

    static func parseForm(_ body: String) -> [String: String] {
        var form: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let decode = { (text: String) in
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? text
            }
            form[decode(parts[0])] = decode(parts[1])
        }
        return form
    }
}
