import Foundation
import GoogleAuth
import Logging
import PipelineHTTP
import Testing

@Suite("Service-account key files")
struct ServiceAccountKeyFileTests {
    private func load(_ path: String) throws -> GoogleAuthError? {
        let client = try HTTPClient(logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
        do {
            _ = try ServiceAccountCredentials(keyFile: path, client: client)
            return nil
        } catch {
            return error
        }
    }

    private func write(_ text: String) throws -> String {
        try FakeGoogle.writeTemporary(Data(text.utf8))
    }

    @Test("missing, non-JSON, incomplete and bad-PEM files are invalidKeyFile; other types are unsupported")
    func badFiles() throws {
        let missing = try self.load("/nonexistent/tributary-key.json")
        #expect(missing?.kind == .invalidKeyFile)
        #expect(missing?.message.contains("/nonexistent/tributary-key.json") == true)

        #expect(try self.load(try self.write("not json {")).map(\.kind) == .invalidKeyFile)
        #expect(try self.load(try self.write(#"{"type":"service_account"}"#)).map(\.kind) == .invalidKeyFile)

        let badPEM = "-----BEGIN PRIVATE KEY-----\nTUlJQ-not-a-key\n-----END PRIVATE KEY-----\n"
        let badKey = try JSONSerialization.data(withJSONObject: [
            "type": "service_account", "client_email": "a@b", "private_key": badPEM,
        ])
        let badKeyError = try self.load(try FakeGoogle.writeTemporary(badKey))
        #expect(badKeyError?.kind == .invalidKeyFile)
        #expect(badKeyError?.message.contains("not-a-key") == false)

        let user = try self.load(try self.write(#"{"type":"authorized_user","client_id":"x","refresh_token":"y"}"#))
        #expect(user?.kind == .unsupportedCredentials)

        let ftp = try JSONSerialization.data(withJSONObject: [
            "type": "service_account", "client_email": "a@b", "private_key": FakeGoogle.key.pkcs8PEMRepresentation,
            "token_uri": "ftp://example/token",
        ])
        #expect(try self.load(try FakeGoogle.writeTemporary(ftp)).map(\.kind) == .invalidKeyFile)
    }

    @Test("a PKCS#1 (BEGIN RSA PRIVATE KEY) key loads too")
    func pkcs1() throws {
        let key = try JSONSerialization.data(withJSONObject: [
            "type": "service_account", "client_email": "a@b", "private_key": FakeGoogle.key.pemRepresentation,
        ])
        #expect(try self.load(try FakeGoogle.writeTemporary(key)) == nil)
    }
}
