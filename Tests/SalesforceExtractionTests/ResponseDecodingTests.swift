import SalesforceExtraction
import Testing

@Suite struct ResponseDecodingTests {
    @Test func queryPageWithNextRecords() throws {
        let page = try QueryPage(
            json: Array(
                #"{"totalSize":3,"done":false,"nextRecordsUrl":"/services/data/v62.0/query/01gXX-2000","records":[{"attributes":{"type":"Account"},"Id":"001000000000001AAA"}]}"#
                    .utf8))
        #expect(!page.done)
        #expect(page.nextRecordsPath == "/services/data/v62.0/query/01gXX-2000")
        #expect(page.records.count == 1)
    }

    @Test(arguments: [
        #"{"done":false,"records":[],"nextRecordsUrl":"http://evil.example/services/data/v62.0/query/x"}"#,
        #"{"done":false,"records":[],"nextRecordsUrl":"/services/data/v62.0/query/../../x"}"#,
        #"{"done":false,"records":[]}"#, #"{"done":true,"records":[1]}"#, #"{"records":[]}"#, #"[]"#,
    ])
    func hostileOrIncompletePagesAreRefused(body: String) {
        #expect(throws: SalesforceResponseError.self) { try QueryPage(json: Array(body.utf8)) }
    }

    @Test func truncatedBodyIsMarkedRetriable() {
        do {
            _ = try QueryPage(json: Array(#"{"totalSize":3,"done":true,"records":[{"Id":"#.utf8))
            Issue.record("parsed a truncated body")
        } catch {
            #expect(error.isMalformedJSON)
        }
    }

    @Test func describeTokenAndErrors() throws {
        let describe = try ObjectDescription(
            json: Array(#"{"name":"Lead","fields":[{"name":"Id","type":"id","nillable":false,"updateable":false}]}"#.utf8))
        #expect(describe.name == "Lead")
        #expect(describe.fields == [.init(name: "Id", type: "id", nillable: false, updateable: false)])

        let token = try AccessToken(
            json: Array(#"{"access_token":"00D!abc","instance_url":"http://127.0.0.1:9/","token_type":"Bearer"}"#.utf8))
        #expect(token.accessToken == "00D!abc")
        #expect(token.instanceURL == "http://127.0.0.1:9")
        #expect(throws: SalesforceResponseError.self) { try AccessToken(json: Array(#"{"access_token":"a\r\nX: y"}"#.utf8)) }
        #expect(try AccessToken(json: Array(#"{"access_token":"t","instance_url":"file:///etc"}"#.utf8)).instanceURL == nil)

        let error = SalesforceAPIError(json: Array(#"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#.utf8))
        #expect(error?.errorCode == "INVALID_SESSION_ID")
        #expect(SalesforceAPIError(json: Array(#"{"error":"invalid_client","error_description":"bad"}"#.utf8))?.errorCode == "invalid_client")
        #expect(SalesforceAPIError(json: Array("<html>".utf8)) == nil)
    }

    @Test func datetimes() {
        #expect(SalesforceDateTime.milliseconds("2026-11-30T12:00:00.000+0000") == 1_796_040_000_000)
        #expect(SalesforceDateTime.milliseconds("2026-11-30T12:00:00Z") == 1_796_040_000_000)
        #expect(SalesforceDateTime.milliseconds("2026-11-30T13:30:00.5+01:30") == 1_796_040_000_500)
        #expect(SalesforceDateTime.soqlLiteral(milliseconds: 1_796_040_000_007) == "2026-11-30T12:00:00.007Z")
        #expect(SalesforceDateTime.soqlLiteral(milliseconds: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
        for bad in ["2026-02-30T00:00:00Z", "2026-11-30 12:00:00Z", "2026-11-30T12:00:00", "2026-11-30T25:00:00Z", "x"] {
            #expect(SalesforceDateTime.milliseconds(bad) == nil, "\(bad)")
        }
        for ms: Int64 in [0, 1, 86_399_999, 1_796_040_000_000, 4_102_444_800_000] {
            #expect(SalesforceDateTime.milliseconds(SalesforceDateTime.soqlLiteral(milliseconds: ms)) == ms)
        }
    }
}
