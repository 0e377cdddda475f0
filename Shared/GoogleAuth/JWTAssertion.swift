import _CryptoExtras

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Builds the RS256-signed JWT a service account trades for an access token (RFC 7523, Google's "OAuth 2.0 for
/// Server to Server Applications").
enum JWTAssertion {
    private struct Header: Encodable {
        var alg = "RS256"
        var typ = "JWT"
        var kid: String?
    }

    private struct Claims: Encodable {
        var iss: String
        var scope: String
        var aud: String
        var iat: Int64
        var exp: Int64
    }

    /// Lifetime of an assertion; Google accepts at most one hour.
    static let lifetimeSeconds: Int64 = 3600

    /// `base64url(header).base64url(claims).base64url(signature)`.
    /// - Parameters:
    ///   - key: The service account's key and identity.
    ///   - scopes: OAuth2 scopes, joined by spaces into `scope`.
    ///   - issuedAt: Wall-clock seconds since the epoch for `iat`; `exp` is an hour later.
    /// - Throws: ``GoogleAuthError`` `signing` when encoding or signing fails.
    static func make(key: ServiceAccountKey, scopes: [String], issuedAt: Int64) throws(GoogleAuthError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let claims = Claims(
            iss: key.clientEmail, scope: scopes.joined(separator: " "), aud: key.tokenURI, iat: issuedAt,
            exp: issuedAt + self.lifetimeSeconds)
        do {
            let header = try encoder.encode(Header(kid: key.privateKeyID))
            let body = try encoder.encode(claims)
            let signingInput = self.base64URL(header) + "." + self.base64URL(body)
            let signature = try key.privateKey.signature(for: Data(signingInput.utf8), padding: .insecurePKCS1v1_5)
            return signingInput + "." + self.base64URL(signature.rawRepresentation)
        } catch {
            throw GoogleAuthError(kind: .signing, message: "cannot sign the JWT assertion for \(key.clientEmail)")
        }
    }

    /// Base64 with the URL alphabet and no padding (RFC 7515 §2).
    static func base64URL(_ data: Data) -> String {
        var text = data.base64EncodedString()
        text = text.replacing("+", with: "-").replacing("/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }
}
