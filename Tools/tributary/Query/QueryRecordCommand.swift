import Foundation
import Logging
import PipelineBigtable
import PipelineRuntime
import PipelineTables
import SalesforceRecords

/// `tributary query record OBJECT ID [--history] [--json]`.
///
/// One row read of `salesforce_records` (`{object}#{id}`, every version): the record's current fields, whether it
/// is deleted, its last change, and with `--history` each version, newest first.
enum QueryRecordCommand {
    struct Configuration: Sendable {
        var object: String
        var id: String
        var history: Bool
        var json: Bool
        var bigtable: BigtableOptions
    }

    static let main = CommandMain(
        name: "tributary", command: "tributary query record",
        summary: """
            Prints one Salesforce record from salesforce_records: its current fields (null where the field is \
            null), the deleted flag and the last change (type, source, time); --history adds every version, newest \
            first, with the fields that change wrote. Exits 1 when the record is not in the table.
            """,
        configuration: { reader in
            let history = reader.bool("history", help: "Also print the record's versions, newest first.")
            let json = reader.bool("json", help: "Print JSON instead of a table.")
            let bigtable = BigtableOptions.read(from: reader)
            let object = reader.requiredPositional("OBJECT", help: "The object's API name, e.g. Account.")
            let id = reader.requiredPositional("ID", help: "The record id (15 or 18 characters).")
            let canonical = SalesforceRecordID.canonical(id)
            reader.require(SalesforceAPIName.isObjectName(object), "OBJECT: \"\(object)\" is not a Salesforce API name")
            reader.require(canonical != nil, "ID: \"\(id)\" is not a 15- or 18-character Salesforce id")
            return Configuration(object: object, id: canonical ?? id, history: history, json: json, bigtable: bigtable)
        },
        body: { configuration, logger in
            let client = try BigtableConnection.client(options: configuration.bigtable, logger: logger)
            let key = SalesforceRecordsTable.rowKey(object: configuration.object, id: configuration.id)
            let rows = try await withConnected(client) {
                try await client.readRows(table: SalesforceRecordsTable.name, rows: .keys([key]))
            }
            guard let record = rows.first.flatMap(SalesforceRecordRow.init) else {
                FileHandle.standardError.write(Data("no record \(key) in \(SalesforceRecordsTable.name)\n".utf8))
                return 1
            }
            print(
                configuration.json
                    ? RecordPrinter.json(record, history: configuration.history)
                    : RecordPrinter.table(record, history: configuration.history))
            return 0
        })
}
