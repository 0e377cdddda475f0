import SalesforceModel
import Testing

@Suite("Salesforce value rendering")
struct RenderingTests {
    @Test("datetimes and dates render as the REST API does and parse back")
    func times() {
        let ms = SalesforceTime.epochMs(year: 2026, month: 11, day: 30, hour: 12, minute: 0, second: 5, ms: 7)
        #expect(SalesforceTime.restDateTime(ms) == "2026-11-30T12:00:05.007+0000")
        #expect(SalesforceTime.soqlLiteral(ms) == "2026-11-30T12:00:05.007Z")
        #expect(SalesforceTime.parseDateTime("2026-11-30T12:00:05.007+0000") == ms)
        #expect(SalesforceTime.parseDateTime("2026-11-30T12:00:05.007Z") == ms)
        #expect(SalesforceTime.parseDateTime("2026-11-30T12:00:05Z") == ms - 7)
        #expect(SalesforceTime.parseDateTime("2026-11-30T13:00:05.007+01:00") == ms)
        #expect(SalesforceTime.parseDateTime("2026-11-30") == nil)
        #expect(SalesforceTime.parseDateTime("2026-11-30T12:00:05.007") == nil)
        #expect(SalesforceTime.parseDateTime("2026-13-30T12:00:05Z") == nil)
        #expect(SalesforceValue.date(SalesforceTime.days(ofMs: ms)).text == "2026-11-30")
        #expect(SalesforceValue.dateTime(0).jsonLiteral == "\"1970-01-01T00:00:00.000+0000\"")
    }

    @Test("values render as JSON tokens")
    func json() {
        #expect(SalesforceValue.string("O'Brien \"Q\"\n").jsonLiteral == #""O'Brien \"Q\"\n""#)
        #expect(SalesforceValue.number("15000.0").jsonLiteral == "15000.0")
        #expect(SalesforceValue.boolean(false).jsonLiteral == "false")
        #expect(SalesforceValue.null.jsonLiteral == "null" && SalesforceValue.null.text == nil)
    }

    @Test("ids carry Salesforce's case-safe suffix")
    func ids() {
        #expect(SalesforceID.withSuffix("0015000000Gv7qJ") == "0015000000Gv7qJAAR")
    }

    @Test("numbers use Java's Double.toString shapes")
    func numbers() {
        let org = SalesforceOrg()
        let numbers = org.state(asOf: org.configuration.endTimeMs).allRecords.flatMap(\.fields).compactMap {
            field -> String? in
            if case .number(let text) = field.value { return text }
            return nil
        }
        #expect(numbers.contains { $0.hasSuffix(".0") })
        #expect(numbers.contains { $0.contains("E") })
        for text in numbers {
            #expect(text.allSatisfy { $0.isNumber || $0 == "." || $0 == "E" })
        }
    }
}
