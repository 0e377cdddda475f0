import PipelineMessages
import SalesforceModel
import SalesforceRecords
import Testing

@Suite("SalesforceOrg change events")
struct ChangeEventTests {
    static let org = OrgTimelineTests.org

    @Test("events + gap re-reads reproduce state(asOf: to)", arguments: [0, 1, 2])
    func replayReproducesState(window: Int) {
        let c = Self.org.configuration
        let mid = c.baseTimeMs + c.durationMs / 2
        let (from, to): (Int64, Int64) = switch window {
        case 0: (c.baseTimeMs, c.endTimeMs)
        case 1: (mid, c.endTimeMs)
        default: (Self.org.commits[0].timestampMs - 1, mid)  // the whole history from an empty replica
        }
        var replica = SalesforceReplica(state: Self.org.state(asOf: from))
        for event in Self.org.changeEvents(after: from, through: to) { replica.apply(event) }
        let target = SalesforceReplica(state: Self.org.state(asOf: to))
        #expect(replica != target, "the gaps must matter before the re-read")
        replica.resync(from: Self.org.state(asOf: to))
        #expect(replica.rows.count == target.rows.count)
        for (key, row) in target.rows where replica.rows[key] != row {
            Issue.record("\(key) differs: \(String(describing: replica.rows[key])) vs \(row)")
            break
        }
        #expect(replica == target)
    }

    @Test("without the re-reads the replica is wrong: the gaps carry information")
    func gapsMatter() {
        let c = Self.org.configuration
        var replica = SalesforceReplica(state: Self.org.state(asOf: c.baseTimeMs))
        for event in Self.org.changeEvents where !event.changeType.isGap { replica.apply(event) }
        #expect(replica != SalesforceReplica(state: Self.org.state(asOf: c.endTimeMs)))
    }

    @Test("the stream holds every change type, every gap type, merged events, transactions and an overflow")
    func coverage() {
        let events = Self.org.changeEvents
        let types = Set(events.map(\.changeType))
        #expect(types == Set(ChangeType.allCases.filter { $0 != .unspecified }))
        #expect(events.contains { $0.recordIDs.count > 1 && $0.changeType == .update })
        #expect(events.contains { $0.recordIDs.count > 1 && $0.changeType == .delete })
        #expect(events.contains { $0.sequenceNumber >= 4 })
        let overflow = events.filter { $0.changeType == .gapOverflow }
        #expect(overflow.count == 1)
        #expect(overflow.allSatisfy { $0.recordIDs.isEmpty && $0.fields.isEmpty && $0.isTransactionEnd })
        let overflowTransaction = events.filter { $0.transactionKey == overflow[0].transactionKey }
        #expect(overflowTransaction.count == Self.org.configuration.overflowThreshold + 1)
    }

    @Test("headers: commit order, sequence numbers per transaction, gap events header-only")
    func headers() throws {
        let events = Self.org.changeEvents
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.commitTimestampMs <= $1.commitTimestampMs })
        var byTransaction: [String: [ChangeEvent]] = [:]
        for event in events { byTransaction[event.transactionKey, default: []].append(event) }
        for (_, transaction) in byTransaction {
            #expect(transaction.map(\.sequenceNumber) == (1...transaction.count).map(Int32.init))
            #expect(transaction.filter(\.isTransactionEnd).count == 1 && transaction.last!.isTransactionEnd)
            #expect(Set(transaction.map(\.commitTimestampMs)).count == 1)
        }
        for event in events {
            #expect(!event.commitUser.isEmpty && event.commitNumber > 0 && event.replayID.count == 8)
            switch event.changeType {
            case .gapCreate, .gapUpdate, .gapDelete, .gapUndelete:
                #expect(event.fields.isEmpty && event.recordIDs.count == 1 && event.sequenceNumber == 1)
            case .update:
                #expect(event.changedFields == event.fields.map(\.name))
                #expect(event.changedFields.contains("SystemModstamp"))
            case .create, .undelete:
                #expect(event.fields.count == Self.org.describe(event.entityName)!.fields.count)
            case .delete:
                #expect(event.fields.isEmpty)
            default:
                break
            }
        }
        // Round trip through protobuf.
        for event in events.prefix(50) { #expect(try ChangeEvent(decoding: event.encode()) == event) }
    }

    @Test("knobs: no overflow, no gaps, more merges")
    func knobs() {
        let quiet = SalesforceOrg(configuration: .init(seed: 5, changes: 200, gapShare: 0, mergeShare: 0.3, overflow: false))
        let events = quiet.changeEvents
        #expect(!events.contains { $0.changeType.isGap })
        #expect(events.filter { $0.recordIDs.count > 1 }.count > 20)
        var replica = SalesforceReplica(state: quiet.state(asOf: quiet.configuration.baseTimeMs))
        for event in events { replica.apply(event) }
        #expect(replica == SalesforceReplica(state: quiet.state(asOf: quiet.configuration.endTimeMs)))
    }
}
