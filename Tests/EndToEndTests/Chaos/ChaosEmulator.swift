import BigtableTestSupport
import Foundation
import Logging
import PipelineBigtable
import Synchronization

/// The chaos run's Bigtable: an emulator process behind a ``TCPRelay`` whose address the services are given, so
/// the process can be stopped and a new one started in its place.
///
/// The emulator keeps its tables in memory only, where Bigtable keeps them durably; a restart therefore carries
/// the data over the way Bigtable's durability would: with every connection cut (no write can land), every table
/// is copied, cell versions and timestamps included, into a freshly started emulator, the old process is stopped,
/// and only then are connections let through again, to the new one. What the services see is a real restart: their
/// connections broken, refused for a while, then a different server process with everything they had written.
final class ChaosEmulator: Sendable {
    private let current: Mutex<BigtableEmulator>
    private let relay: TCPRelay
    private let restarting = Mutex(false)

    private init(emulator: BigtableEmulator, relay: TCPRelay) {
        current = Mutex(emulator)
        self.relay = relay
    }

    static func start() async throws -> ChaosEmulator {
        let emulator = try await BigtableEmulator.start()
        return ChaosEmulator(emulator: emulator, relay: try TCPRelay(upstreamPort: emulator.port))
    }

    /// What the services are given as `BIGTABLE_EMULATOR_HOST`.
    var hostPort: String { "127.0.0.1:\(relay.port)" }

    /// The emulator process serving now (the checks read it directly).
    var emulator: BigtableEmulator { current.withLock { $0 } }

    func pause() { emulator.pause() }
    func resume() { emulator.resume() }

    /// Stops the emulator process and starts another in its place with the same data (see the type's comment).
    /// - Returns: What was carried over, for the fault table.
    func restart(downFor hold: Duration) async throws -> String {
        // One restart at a time: a second would copy from the process the first is stopping.
        while true {
            let acquired = restarting.withLock { busy in
                guard !busy else { return false }
                busy = true
                return true
            }
            if acquired { break }
            try? await Task.sleep(for: .milliseconds(100))
        }
        defer { restarting.withLock { $0 = false } }
        let started = ContinuousClock.now
        relay.cut()
        let old = emulator
        old.resume()  // a freeze overlapping the restart ends with it
        let fresh = try await BigtableEmulator.start()
        let copied = try await Self.copyTables(from: old, to: fresh)
        old.stop()
        let remaining = hold - (ContinuousClock.now - started)
        if remaining > .zero { try? await Task.sleep(for: remaining) }
        current.withLock { $0 = fresh }
        relay.connect(to: fresh.port)
        let seconds = Double((ContinuousClock.now - started).components.seconds)
        return "\(copied.tables) tables, \(copied.cells) cells carried over; down \(Int(seconds)) s"
    }

    func stop() {
        relay.close()
        emulator.stop()
    }

    /// Copies every table (column families and GC rules, then every cell version with its timestamp).
    private static func copyTables(from source: BigtableEmulator, to target: BigtableEmulator) async throws
        -> (tables: Int, cells: Int)
    {
        let logger = Logger(label: "chaos-emulator")
        return try await withBigtableClient(configuration: source.configuration(), logger: logger) { reader in
            try await withBigtableClient(configuration: target.configuration(), logger: logger) { writer in
                var cells = 0
                let tables = try await reader.listTables()
                for table in tables {
                    try await writer.createTableIfMissing(table, families: try await reader.columnFamilies(table))
                    cells += try await reader.readRows(table: table) { rows in
                        var batch: [BigtableMutationEntry] = []
                        var copied = 0
                        for try await row in rows {
                            var mutations: [BigtableMutation] = []
                            for (family, columns) in row.families {
                                for (qualifier, versions) in columns {
                                    for cell in versions {
                                        mutations.append(
                                            .setCell(
                                                family: family, qualifier: qualifier, timestampMicros: cell.timestampMicros,
                                                value: cell.value))
                                    }
                                }
                            }
                            copied += mutations.count
                            batch.append(BigtableMutationEntry(rowKey: row.key, mutations: mutations))
                            if batch.count == 500 {
                                try await Self.write(batch, table: table, with: writer)
                                batch.removeAll(keepingCapacity: true)
                            }
                        }
                        if !batch.isEmpty { try await Self.write(batch, table: table, with: writer) }
                        return copied
                    }
                }
                return (tables.count, cells)
            }
        }
    }

    private static func write(_ batch: [BigtableMutationEntry], table: String, with client: BigtableClient) async throws {
        let statuses = try await client.mutateRows(table: table, entries: batch)
        if let failed = statuses.first(where: { !$0.isOK }) {
            throw TestFailure("copying \(table) into the restarted emulator: \(failed)")
        }
    }
}
