import _CryptoExtras

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A parsed service-account key file (the JSON `gcloud iam service-accounts keys create` writes).
struct ServiceAccountKey: Sendable {
    /// The account, the JWT's `iss`.
    var clientEmail: String
    /// The key's id, sent as the JWT header's `kid` so Google picks the right public key.
    var privateKeyID: String?
    /// Where to exchange the JWT, and its `aud`.
    var tokenURI: String
    /// The RSA key, parsed once.
    var privateKey: _RSA.Signing.PrivateKey

    private struct File: Decodable {
        var type: String?
        var client_email: String?
        var private_key: String?
        var private_key_id: String?
        var token_uri: String?
    }

    /// Reads and parses a key file.
    /// - Throws: ``GoogleAuthError`` `invalidKeyFile` (unreadable, not JSON, missing fields, bad PEM) or
    ///   `unsupportedCredentials` (a `type` other than `service_account`). Messages name the path, never contents.
    static func load(path: String) throws(GoogleAuthError) -> ServiceAccountKey {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(filePath: path))
        } catch {
            throw GoogleAuthError(kind: .invalidKeyFile, message: "cannot read the key file \(path)")
        }
        return try self.parse(bytes, origin: path)
    }

    /// Parses key-file JSON.
    /// - Parameter origin: Names the source in error messages.
    static func parse(_ bytes: Data, origin: String) throws(GoogleAuthError) -> ServiceAccountKey {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: bytes)
        } catch {
            throw GoogleAuthError(kind: .invalidKeyFile, message: "the key file \(origin) is not JSON")
        }
        if let type = file.type, type != "service_account" {
            throw GoogleAuthError(
                kind: .unsupportedCredentials,
                message: "the credentials in \(origin) are of type \(type.prefix(40)); only service_account keys work")
        }
        guard let email = file.client_email, !email.isEmpty, let pem = file.private_key, !pem.isEmpty else {
            throw GoogleAuthError(
                kind: .invalidKeyFile, message: "the key file \(origin) lacks client_email or private_key")
        }
        let tokenURI = file.token_uri ?? "https://oauth2.googleapis.com/token"
        guard tokenURI.hasPrefix("https://") || tokenURI.hasPrefix("http://") else {
            throw GoogleAuthError(
                kind: .invalidKeyFile, message: "the key file \(origin) has a token_uri that is not http(s)")
        }
        let key: _RSA.Signing.PrivateKey
        do {
            key = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            throw GoogleAuthError(
                kind: .invalidKeyFile,
                message: "the private_key in \(origin) is not a usable RSA key (2048 bits or more)")
        }
        return ServiceAccountKey(
            clientEmail: email, privateKeyID: file.private_key_id, tokenURI: tokenURI, privateKey: key)
    }
}
