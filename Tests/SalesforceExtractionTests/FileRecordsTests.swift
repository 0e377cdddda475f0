import PipelineMessages
import SalesforceExtraction
import Testing

@Suite struct FileRecordsTests {
    @Test func csvLinesBecomeChangesAndBadLinesAReason() throws {
        let csv = """
            Id,Name,Description,SystemModstamp\r
            001000000000001AAA,Acme,"said ""hi"", twice",2026-11-30T12:00:00.000+0000\r
            001000000000002AAA,"Multi
            line",,2026-11-30T12:00:01Z
            001000000000003AAA,too,many,fields,here

            bad-id,X,,2026-11-30T12:00:01Z
            001000000000004AAA,NoStamp,,
            001000000000005AAA,"unterminated,,2026-11-30T12:00:01Z
            """
        let lines = try FileRecords.csv(Array(csv.utf8), object: "Account")
        #expect(lines.map(\.number) == [2, 3, 5, 7, 8, 9])
        let first = try lines[0].outcome.get().change
        #expect(first.fields[2] == FieldValue(name: "description", value: #"said "hi", twice"#))
        let second = try lines[1].outcome.get().change
        #expect(second.fields[1] == FieldValue(name: "name", value: "Multi\nline"))
        #expect(second.fields[2] == FieldValue(name: "description", value: nil))
        let reasons = lines.dropFirst(2).map { line -> String in
            if case .failure(let error) = line.outcome { return error.reason }
            return "ok"
        }
        #expect(reasons == ["csv_bad_line", "missing_id", "missing_timestamp", "csv_bad_line"])
        if case .failure(let error) = lines[2].outcome { #expect(error.detail.hasPrefix("line 5:")) }
        #expect(throws: RecordMappingError.self) { try FileRecords.csv(Array("Id,Na me\n1,2".utf8), object: "Account") }
    }

    @Test func jsonLines() throws {
        let text = """
            {"attributes":{"type":"Lead"},"Id":"00Q000000000001AAA","SystemModstamp":"2026-11-30T12:00:00Z","Score":7}
            {"Id":"00Q000000000002AAA","LastModifiedDate":"2026-11-30T12:00:00Z"}
            {"Id":"00Q000000000003AAA",
            [1,2]

            {"attributes":{"type":"Lead"},"Id":"00Q000000000004AAA","SystemModstamp":"2026-11-30T12:00:00Z","X":[1]}
            """
        let lines = FileRecords.jsonLines(Array(text.utf8), object: nil)
        #expect(lines.map(\.number) == [1, 2, 3, 4, 6])
        #expect(try lines[0].outcome.get().change.object == "Lead")
        #expect(try lines[0].outcome.get().change.fields.last == FieldValue(name: "score", value: "7"))
        let reasons = lines.dropFirst().map { line -> String in
            if case .failure(let error) = line.outcome { return error.reason }
            return "ok"
        }
        #expect(reasons == ["missing_object", "json_bad_line", "json_bad_line", "bad_field"])
        let forced = FileRecords.jsonLines(Array(text.utf8), object: "Lead")
        #expect(try forced[1].outcome.get().change.sourceTimestampMs == 1_796_040_000_000)
    }
}
