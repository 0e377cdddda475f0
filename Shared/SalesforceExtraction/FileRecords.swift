/// Records ingested from a file (`extractor file`): CSV with a header row of Salesforce field names, or JSON
/// lines each holding one record object. Each line becomes a ``RecordChange`` or a dead letter's reason.
public enum FileRecords {
    public enum Format: String, Sendable, CaseIterable {
        case csv
        case jsonl
    }

    /// One input line's outcome.
    public struct Line: Sendable, Equatable {
        /// 1-based line number (where a multi-line CSV record starts).
        public var number: Int
        public var raw: [UInt8]
        public var outcome: Result<RecordMapping.Mapped, RecordMappingError>
    }

    /// The timestamp a file row is stored under: SystemModstamp, else LastModifiedDate.
    static let timestampFields = ["SystemModstamp", "LastModifiedDate"]

    /// Reads a CSV file. An empty CSV value is null (the Data Loader convention).
    /// - Throws: ``RecordMappingError`` with reason `csv_bad_header` when the header is missing or names a
    ///   column that is not a Salesforce field name: no line could be trusted then.
    public static func csv(_ bytes: [UInt8], object: String) throws(RecordMappingError) -> [Line] {
        var records = CSVReader.records(bytes)[...]
        guard let header = records.popFirst(), let names = header.fields, !names.isEmpty,
            names.allSatisfy(isFieldPath), Set(names).count == names.count
        else { throw RecordMappingError(reason: "csv_bad_header", detail: "the first line must name the fields") }
        return records.map { record in
            guard let values = record.fields else {
                return Line(
                    number: record.line, raw: record.raw,
                    outcome: .failure(.init(reason: "csv_bad_line", detail: "line \(record.line): \(record.error ?? "")")))
            }
            guard values.count == names.count else {
                return Line(
                    number: record.line, raw: record.raw,
                    outcome: .failure(
                        .init(
                            reason: "csv_bad_line",
                            detail: "line \(record.line): \(values.count) fields, the header has \(names.count)")))
            }
            let row = JSONObject(
                members: zip(names, values).map { .init(key: $0, value: $1.isEmpty ? .null : .string($1)) })
            return Line(number: record.line, raw: record.raw, outcome: mapLine(row, object: object, line: record.line))
        }
    }

    /// Reads JSON lines; the object is `object`, or each row's `attributes.type` when `object` is nil.
    public static func jsonLines(_ bytes: [UInt8], object: String?) -> [Line] {
        var lines: [Line] = []
        var number = 0
        for slice in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            var raw = Array(slice)
            if raw.last == 0x0D { raw.removeLast() }
            if raw.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let outcome: Result<RecordMapping.Mapped, RecordMappingError>
            do {
                guard let row = try JSONParser.parse(raw).object else {
                    throw RecordMappingError(reason: "json_bad_line", detail: "line \(number): not a JSON object")
                }
                guard let name = object ?? row["attributes"]?.object?["type"]?.string, SOQLIdentifier.isValid(name)
                else { throw RecordMappingError(reason: "missing_object", detail: "line \(number): no object type") }
                outcome = mapLine(row, object: name, line: number)
            } catch let error as JSONParseError {
                outcome = .failure(.init(reason: "json_bad_line", detail: "line \(number): \(error)"))
            } catch let error as RecordMappingError {
                outcome = .failure(error)
            } catch {
                outcome = .failure(.init(reason: "json_bad_line", detail: "line \(number)"))
            }
            lines.append(Line(number: number, raw: raw, outcome: outcome))
        }
        return lines
    }

    private static func mapLine(
        _ row: JSONObject, object: String, line: Int
    ) -> Result<RecordMapping.Mapped, RecordMappingError> {
        do {
            return .success(try RecordMapping.map(row, object: object, timestampFields: timestampFields))
        } catch {
            return .failure(RecordMappingError(reason: error.reason, detail: "line \(line): \(error.detail)"))
        }
    }

    /// `Name`, `BillingAddress.City`: dot-separated identifiers.
    static func isFieldPath(_ name: String) -> Bool {
        name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { SOQLIdentifier.isValid(String($0)) }
    }
}
