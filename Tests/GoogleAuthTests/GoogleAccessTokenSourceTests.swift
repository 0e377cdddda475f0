import Foundation
import GoogleAuth
import Logging
import PipelineHTTP
import Testing
import _CryptoExtras

@Suite("Google access tokens against a loopback token endpoint and metadata server", .timeLimit(.minutes(1)))
struct GoogleAccessTokenSourceTests {
    private static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    private func client() throws -> HTTPClient {
        try HTTPClient(logger: Self.quiet)
    }

    private func keyFileSource(_ google: FakeGoogle, margin: Duration = .seconds(60)) throws -> GoogleAccessTokenSource
    {
        let credentials = try ServiceAccountCredentials(keyFile: try google.writeKeyFile(), client: try self.client())
        return GoogleAccessTokenSource(credentials: credentials, refreshMargin: margin, logger: Self.quiet)
    }

    @Test("a service-account key yields a token; the server verified the RS256 signature and every claim")
    func serviceAccount() async throws {
        let google = try FakeGoogle()
        let source = try self.keyFileSource(google)
        #expect(try await source.accessToken() == "token-1")
        let token = try await source.token()
        #expect(token.tokenType == "Bearer")
        #expect(token.expiresAt > ContinuousClock.now + .seconds(3500))
        #expect(google.problems.withLock { $0 }.isEmpty, "\(google.problems.withLock { $0 })")
        #expect(google.server.requests.count == 1)
        #expect(source.credentials.logDescription == "service account \(FakeGoogle.clientEmail)")
    }

    @Test("an assertion signed with another key is refused, so the fake really verifies signatures")
    func wrongKey() async throws {
        let google = try FakeGoogle()
        let stranger = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let path = try google.writeKeyFile(extra: ["private_key": stranger.pkcs8PEMRepresentation])
        let source = GoogleAccessTokenSource(
            credentials: try ServiceAccountCredentials(keyFile: path, client: try self.client()), logger: Self.quiet)
        do {
            _ = try await source.accessToken()
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .badStatus)
            #expect(error.status == 400)
            #expect(error.message.contains("invalid_grant"))
        }
        #expect(google.problems.withLock { $0 } == ["signature does not verify"])
    }

    @Test("concurrent callers share one refresh, and later callers use the cache")
    func singleFlightAndCache() async throws {
        let google = try FakeGoogle()
        google.replyDelay.withLock { $0 = .milliseconds(300) }
        let source = try self.keyFileSource(google)
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await source.accessToken() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(tokens == Array(repeating: "token-1", count: 20))
        for _ in 0..<10 { #expect(try await source.accessToken() == "token-1") }
        #expect(google.server.requests.count == 1)
    }

    @Test("a token within the refresh margin of expiry is replaced")
    func refreshAfterExpiry() async throws {
        let google = try FakeGoogle()
        // Stale three seconds from now with the 60 s margin (not one: a loaded machine may take a second between
        // the first two calls).
        google.expiresIn.withLock { $0 = 63 }
        let source = try self.keyFileSource(google)
        #expect(try await source.accessToken() == "token-1")
        #expect(try await source.accessToken() == "token-1")
        try await Task.sleep(for: .milliseconds(3200))
        #expect(try await source.accessToken() == "token-2")
        #expect(google.server.requests.count == 2)
    }

    @Test("a failed refresh keeps serving the old token while it has not actually expired")
    func failedRefreshKeepsValidToken() async throws {
        let google = try FakeGoogle()
        google.expiresIn.withLock { $0 = 3600 }
        let source = try self.keyFileSource(google, margin: .seconds(3599))
        #expect(try await source.accessToken() == "token-1")
        try await Task.sleep(for: .milliseconds(1100))
        google.mode.withLock { $0 = .unauthorized }
        #expect(try await source.accessToken() == "token-1")
        #expect(google.server.requests.count == 2)
    }

    @Test("the metadata server is asked with Metadata-Flavor: Google at GCE_METADATA_HOST")
    func metadataServer() async throws {
        let google = try FakeGoogle()
        let source = try GoogleAccessTokenSource.applicationDefault(
            environment: ["GCE_METADATA_HOST": google.metadataHost], client: try self.client(), logger: Self.quiet)
        #expect(try await source.accessToken() == "token-1")
        let request = try #require(google.server.requests.first)
        #expect(request.method == "GET")
        #expect(request.header("metadata-flavor") == "Google")
        #expect(request.target.hasPrefix("/computeMetadata/v1/instance/service-accounts/default/token?scopes="))
        #expect(request.target.contains("bigtable.data"))
        #expect(source.credentials.logDescription.hasPrefix("metadata server http://127.0.0.1:"))
    }

    @Test("GOOGLE_APPLICATION_CREDENTIALS wins over the metadata server")
    func applicationDefaultKeyFile() async throws {
        let google = try FakeGoogle()
        let path = try google.writeKeyFile()
        let source = try GoogleAccessTokenSource.applicationDefault(
            environment: ["GOOGLE_APPLICATION_CREDENTIALS": path, "GCE_METADATA_HOST": google.metadataHost],
            client: try self.client(), logger: Self.quiet)
        #expect(try await source.accessToken() == "token-1")
        #expect(google.server.requests.map(\.target) == ["/token"])
    }

    @Test("a 401 is a non-retriable rejected error, sent once, with the OAuth error code")
    func unauthorized() async throws {
        let google = try FakeGoogle()
        google.mode.withLock { $0 = .unauthorized }
        let source = try self.keyFileSource(google)
        do {
            _ = try await source.accessToken()
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .rejected)
            #expect(error.status == 401)
            #expect(error.message.contains("invalid_client"))
            #expect(!error.isRetriable)
        }
        #expect(google.server.requests.count == 1)
    }

    @Test("a 200 that is not token JSON is invalidResponse, for both sources")
    func notJSON() async throws {
        let google = try FakeGoogle()
        google.mode.withLock { $0 = .notJSON }
        let keyFile = try self.keyFileSource(google)
        let metadata = GoogleAccessTokenSource(
            credentials: MetadataServerCredentials(host: google.metadataHost, client: try self.client()),
            logger: Self.quiet)
        for source in [keyFile, metadata] {
            do {
                _ = try await source.accessToken()
                Issue.record("expected an error")
            } catch {
                #expect(error.kind == .invalidResponse)
                #expect(error.status == 200)
            }
        }
    }

    @Test("an unreachable metadata server is a retriable transport error")
    func unreachable() async throws {
        let source = GoogleAccessTokenSource(
            credentials: MetadataServerCredentials(
                host: "127.0.0.1:1", client: try self.client(),
                retrier: HTTPRetrier(policy: RetryPolicy(maximumAttempts: 1))),
            logger: Self.quiet)
        do {
            _ = try await source.accessToken()
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .transport)
            #expect(error.transport?.kind == .connect)
            #expect(error.isRetriable)
        }
    }
}
