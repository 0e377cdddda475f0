import BigtableTestSupport
import Foundation
import PipelineBigtable
import Testing

/// End-to-end tests against a private `cbtemulator` per test (127.0.0.1 only).
@Suite("Bigtable client against the emulator", .serialized, .timeLimit(.minutes(3)))
struct EmulatorTests {
    static let families: [String: BigtableGCRule] = [
        "event_data": .maxVersions(3),
        "metadata": .union([.maxAge(.seconds(7 * 86_400)), .maxVersions(1)]),
        "quality": .intersection([.maxAge(.seconds(30 * 86_400)), .maxVersions(5)]),
    ]

    static func key(_ user: Int, _ index: Int) -> String { String(format: "user-%d#%05d", user, index) }

    /// Row `index`: event_data:page has two versions (1 s "old-i", 2 s "new-i"), event_data:n
    /// one (2 s), metadata:source one (1 s).
    static func entry(_ user: Int, _ index: Int) -> BigtableMutationEntry {
        BigtableMutationEntry(
            rowKey: key(user, index),
            mutations: [
                .setCell(family: "event_data", qualifier: "page", timestampMillis: 1_000, value: "old-\(index)"),
                .setCell(family: "event_data", qualifier: "page", timestampMillis: 2_000, value: "new-\(index)"),
                .setCell(family: "event_data", qualifier: "n", timestampMillis: 2_000, value: "\(index)"),
                .setCell(family: "metadata", qualifier: "source", timestampMillis: 1_000, value: "gen-\(user)"),
            ])
    }

    static func string(_ data: Data?) -> String? { data.map { String(decoding: $0, as: UTF8.self) } }

    /// Checks every cell of a row written by ``entry(_:_:)``.
    static func expectFullRow(_ row: BigtableRow) {
        let key = string(row.key)!
        let user = Int(key.dropFirst(5).prefix { $0 != "#" })!
        let index = Int(key.split(separator: "#")[1])!
        #expect(row.cells(family: "event_data", qualifier: "page").map { string($0.value)! } == ["new-\(index)", "old-\(index)"])
        #expect(row.cells(family: "event_data", qualifier: "page").map(\.timestampMicros) == [2_000_000, 1_000_000])
        #expect(string(row.latestValue(family: "event_data", qualifier: "n")) == "\(index)")
        #expect(string(row.latestValue(family: "metadata", qualifier: "source")) == "gen-\(user)")
        #expect(row.cellCount == 4)
    }

    @Test("tables are created idempotently with GC rules, listed, extended and deleted")
    func tables() async throws {
        try await BigtableEmulator.withClient { client, _ in
            try await client.createTableIfMissing("events_fact", families: Self.families)
            try await client.createTableIfMissing("events_fact", families: Self.families)
            try await client.createTableIfMissing("events_aggregate", families: ["daily_stats": .maxVersions(1)])
            #expect(try await client.listTables() == ["events_aggregate", "events_fact"])
            #expect(try await client.columnFamilies("events_fact") == Self.families)

            // An existing table missing a family gets it.
            try await client.createTableIfMissing(
                "events_aggregate", families: ["daily_stats": .maxVersions(1), "hourly_stats": .maxAge(.seconds(3600))])
            #expect(
                try await client.columnFamilies("events_aggregate")
                    == ["daily_stats": .maxVersions(1), "hourly_stats": .maxAge(.seconds(3600))])

            try await client.deleteTable("events_aggregate")
            try await client.deleteTable("events_aggregate")  // already gone: still fine
            #expect(try await client.listTables() == ["events_fact"])
        }
    }

    @Test("3,000 rows written, then read by prefix, range, limit and filters with every value checked")
    func writeAndRead() async throws {
        try await BigtableEmulator.withClient(maxMutationsPerRequest: 1_000) { client, _ in
            try await client.createTableIfMissing("events_fact", families: Self.families)
            let entries = (0..<10).flatMap { user in (0..<300).map { Self.entry(user, $0) } }
            let result = try await client.mutateRowsRetrying(table: "events_fact", entries: entries)
            #expect(result.allSucceeded)
            #expect(result.attempts == 1)

            let all = try await client.readRows(table: "events_fact")
            #expect(all.count == 3_000)
            #expect(all.map { Self.string($0.key)! } == entries.map { Self.string($0.rowKey)! }.sorted())
            all.forEach(Self.expectFullRow)

            let user3 = try await client.readRows(table: "events_fact", rows: .prefix("user-3#"))
            #expect(user3.map { Self.string($0.key)! } == (0..<300).map { Self.key(3, $0) })
            user3.forEach(Self.expectFullRow)

            let range = try await client.readRows(
                table: "events_fact", rows: .range(.halfOpen(Self.key(1, 100), Self.key(1, 200))))
            #expect(range.map { Self.string($0.key)! } == (100..<200).map { Self.key(1, $0) })

            let keys = try await client.readRows(
                table: "events_fact", rows: .keys([Self.key(9, 299), Self.key(0, 0), "absent"]))
            #expect(keys.map { Self.string($0.key)! } == [Self.key(0, 0), Self.key(9, 299)])

            let limited = try await client.readRows(table: "events_fact", rows: .prefix("user-2#"), limit: 25)
            #expect(limited.map { Self.string($0.key)! } == (0..<25).map { Self.key(2, $0) })

            let metadata = try await client.readRows(table: "events_fact", rows: .prefix("user-4#"), filter: .family("metadata"))
            #expect(metadata.count == 300)
            for row in metadata {
                #expect(Array(row.families.keys) == ["metadata"])
                #expect(Self.string(row.latestValue(family: "metadata", qualifier: "source")) == "gen-4")
            }

            let qualifier = try await client.readRows(
                table: "events_fact", rows: .prefix("user-5#"), filter: .columnQualifierRegex(Data("^n$".utf8)))
            for (index, row) in qualifier.enumerated() {
                #expect(row.cellCount == 1)
                #expect(Self.string(row.latestValue(family: "event_data", qualifier: "n")) == "\(index)")
            }

            let latest = try await client.readRows(table: "events_fact", rows: .prefix("user-6#"), filter: .latestOnly)
            for (index, row) in latest.enumerated() {
                #expect(row.cells(family: "event_data", qualifier: "page").map { Self.string($0.value)! } == ["new-\(index)"])
                #expect(row.cellCount == 3)
            }

            let old = try await client.readRows(
                table: "events_fact", rows: .prefix("user-7#"),
                filter: .timestampRange(startMicros: 1_000_000, endMicros: 1_001_000))
            #expect(old.count == 300)
            for (index, row) in old.enumerated() {
                #expect(row.cells(family: "event_data", qualifier: "page").map { Self.string($0.value)! } == ["old-\(index)"])
                #expect(row.cells(family: "event_data", qualifier: "n").isEmpty)
                #expect(row.cellCount == 2)
            }

            let chained = try await client.readRows(
                table: "events_fact", rows: .prefix("user-8#"),
                filter: .chain([.family("event_data"), .columnQualifierRegex(Data("page".utf8)), .latestOnly]),
                limit: 3)
            #expect(chained.map { $0.cellCount } == [1, 1, 1])

            // Streaming form: count without materialising the scan.
            let streamed = try await client.readRows(table: "events_fact") { rows in
                var count = 0
                for try await _ in rows { count += 1 }
                return count
            }
            #expect(streamed == 3_000)
        }
    }

    @Test("re-writing the same cells with the same timestamps leaves cell counts unchanged")
    func idempotentRewrite() async throws {
        try await BigtableEmulator.withClient { client, _ in
            try await client.createTableIfMissing("events_fact", families: Self.families)
            let entries = (0..<200).map { Self.entry(1, $0) }
            for _ in 0..<3 {
                #expect(try await client.mutateRowsRetrying(table: "events_fact", entries: entries).allSucceeded)
            }
            let rows = try await client.readRows(table: "events_fact")
            #expect(rows.count == 200)
            #expect(rows.map(\.cellCount).reduce(0, +) == 800)
            rows.forEach(Self.expectFullRow)
        }
    }

    @Test("a mutation to a missing family fails only its entry, reported as permanently failed")
    func perEntryFailure() async throws {
        try await BigtableEmulator.withClient { client, _ in
            try await client.createTableIfMissing("events_fact", families: Self.families)
            var entries = (0..<50).map { Self.entry(2, $0) }
            entries[17] = BigtableMutationEntry(
                rowKey: Self.key(2, 17),
                mutations: [.setCell(family: "no_such_family", qualifier: "x", timestampMillis: 1_000, value: "lost")])
            let statuses = try await client.mutateRows(table: "events_fact", entries: entries)
            #expect(statuses.indices.filter { !statuses[$0].isOK } == [17])

            let result = try await client.mutateRowsRetrying(table: "events_fact", entries: entries)
            #expect(result.failedEntries.map(\.index) == [17])
            #expect(result.failedEntries.first?.entry == entries[17])
            #expect(result.failedEntries.first.map { !$0.status.isRetriable } == true)
            #expect(result.attempts == 1)
            let rows = try await client.readRows(table: "events_fact")
            #expect(rows.count == 49)
            #expect(!rows.contains { Self.string($0.key) == Self.key(2, 17) })
        }
    }

    @Test("1,500 sequential small RPCs on one client without a single error")
    func manySequentialRPCs() async throws {
        try await BigtableEmulator.withClient { client, _ in
            try await client.createTableIfMissing("events_fact", families: Self.families)
            var errors = 0
            for index in 0..<1_500 {
                do {
                    if index % 5 == 4 {
                        let rows = try await client.readRows(table: "events_fact", rows: .keys([Self.key(0, index - 1)]))
                        if rows.count != 1 { errors += 1 }
                    } else {
                        let statuses = try await client.mutateRows(table: "events_fact", entries: [Self.entry(0, index)])
                        if statuses != [.ok] { errors += 1 }
                    }
                } catch {
                    errors += 1
                }
            }
            #expect(errors == 0)
        }
    }

    @Test("cbt, an independent tool, reads back what the client wrote")
    func cbtCrossCheck() async throws {
        let cbt = "/usr/bin/cbt"
        guard FileManager.default.isExecutableFile(atPath: cbt) else {
            Issue.record("cbt is missing at \(cbt): install the Google Cloud CLI's cbt component (`gcloud components install cbt`)")
            return
        }
        try await BigtableEmulator.withClient { client, emulator in
            try await client.createTableIfMissing("events_fact", families: Self.families)
            let entries = (0..<40).map { Self.entry(3, $0) }
            #expect(try await client.mutateRowsRetrying(table: "events_fact", entries: entries).allSucceeded)

            let count = try Self.run(cbt, ["count", "events_fact"], emulator: emulator)
            #expect(count.trimmingCharacters(in: .whitespacesAndNewlines) == "40")
            let lookup = try Self.run(cbt, ["lookup", "events_fact", Self.key(3, 7)], emulator: emulator)
            #expect(lookup.contains(Self.key(3, 7)))
            #expect(lookup.contains("event_data:page"))
            #expect(lookup.contains("\"new-7\""))
            #expect(lookup.contains("\"old-7\""))
            #expect(lookup.contains("metadata:source"))
            #expect(lookup.contains("\"gen-3\""))
            let tables = try Self.run(cbt, ["ls"], emulator: emulator)
            #expect(tables.split(separator: "\n").map(String.init).contains("events_fact"))
        }
    }

    /// Runs cbt against the emulator and returns its standard output.
    static func run(_ tool: String, _ arguments: [String], emulator: BigtableEmulator) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-project", "p", "-instance", "i"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["BIGTABLE_EMULATOR_HOST"] = emulator.hostPort
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "cbt \(arguments) exited \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self)
    }
}
