import PipelineMessages
import SalesforceModel
import SalesforceRecords
import Testing

@Suite("SalesforceOrg timeline and state")
struct OrgTimelineTests {
    static let org = SalesforceOrg()

    @Test("the same seed builds the same org; another seed a different one")
    func determinism() {
        let again = SalesforceOrg()
        #expect(again.commits == Self.org.commits)
        #expect(again.changeEvents == Self.org.changeEvents)
        let other = SalesforceOrg(configuration: .init(seed: 2))
        #expect(other.commits != Self.org.commits)
        let ids = Set(Self.org.state(asOf: Self.org.configuration.baseTimeMs).allRecords.map(\.id))
        let otherIds = Set(other.state(asOf: other.configuration.baseTimeMs).allRecords.map(\.id))
        #expect(ids.isDisjoint(with: otherIds))
    }

    @Test("commit times strictly increase and the changes fall in (baseTime, endTime]")
    func commitTimes() {
        let c = Self.org.configuration
        #expect(zip(Self.org.commits, Self.org.commits.dropFirst()).allSatisfy { $0.timestampMs < $1.timestampMs })
        let changes = Self.org.commits[Self.org.firstChangeIndex...]
        #expect(changes.count == c.changes)
        #expect(changes.allSatisfy { $0.timestampMs > c.baseTimeMs && $0.timestampMs <= c.endTimeMs })
        #expect(Self.org.commits.enumerated().allSatisfy { $0.offset == $0.element.index })
    }

    @Test("at baseTime every object has its records, with every described field, some deleted")
    func initialState() {
        let c = Self.org.configuration
        let state = Self.org.state(asOf: c.baseTimeMs)
        #expect(state.records["User"]?.count == c.userCount)
        for object in ["Account", "Contact", "Lead", "Opportunity", "Case"] {
            #expect(state.records[object]?.count == c.recordsPerObject, "\(object)")
        }
        for record in state.allRecords {
            let names = Self.org.describe(record.object)!.fieldNames
            #expect(record.fields.map(\.name) == names)
            #expect(record.id.count == 18 && record["Id"] == .string(record.id))
            #expect(record["IsDeleted"] == .boolean(record.isDeleted))
            #expect(record["SystemModstamp"] == .dateTime(record.systemModstampMs))
            #expect(record.systemModstampMs <= c.baseTimeMs)
        }
        #expect(state.allRecords.contains { $0.isDeleted })
        // Lookups point at records of the right object.
        let accounts = Set(state.records["Account"]!.map(\.id))
        for contact in state.records["Contact"]! {
            if case .string(let account) = contact["AccountId"]! { #expect(accounts.contains(account)) }
        }
    }

    @Test("state(asOf:) equals the last version in each record's history, at several times")
    func stateMatchesHistory() {
        let c = Self.org.configuration
        for asOf in [c.baseTimeMs, c.baseTimeMs + c.durationMs / 3, c.endTimeMs] {
            let state = Self.org.state(asOf: asOf)
            let history = Self.org.history(asOf: asOf)
            #expect(history.count == state.allRecords.count)
            for record in state.allRecords {
                let versions = history[SalesforceRecordKey(object: record.object, id: record.id)] ?? []
                #expect(versions.first?.changeType == .create)
                #expect(versions.last?.record == record)
                #expect(versions.last?.commitTimestampMs == record.systemModstampMs)
                #expect(zip(versions, versions.dropFirst()).allSatisfy { $0.commitTimestampMs < $1.commitTimestampMs })
            }
        }
    }

    @Test("each commit's writes are visible at its time and not just before it")
    func commitsApply() {
        for commit in Self.org.commits[Self.org.firstChangeIndex...].prefix(40) {
            let before = Self.org.state(asOf: commit.timestampMs - 1)
            let after = Self.org.state(asOf: commit.timestampMs)
            for change in commit.changes {
                for id in change.recordIds {
                    let record = after.record(object: change.object, id: id)!
                    #expect(record.systemModstampMs == commit.timestampMs)
                    for write in change.writes { #expect(record[write.name] == write.value) }
                    let old = before.record(object: change.object, id: id)
                    #expect((old == nil) == (change.kind == .create))
                    if change.kind == .delete { #expect(record.isDeleted && old?.isDeleted == false) }
                    if change.kind == .undelete { #expect(!record.isDeleted && old?.isDeleted == true) }
                }
            }
        }
    }

    @Test("updates write only fields that changed, plus the three system fields")
    func updatesAreMinimal() {
        let history = Self.org.history(asOf: Self.org.configuration.endTimeMs)
        let commits = Dictionary(uniqueKeysWithValues: Self.org.commits.map { ($0.timestampMs, $0) })
        var checked = 0
        for (key, versions) in history {
            for (previous, version) in zip(versions, versions.dropFirst()) where version.changeType == .update {
                let change = commits[version.commitTimestampMs]!.changes.first {
                    $0.object == key.object && $0.recordIds.contains(key.id)
                }!
                let changed = change.writes.filter {
                    !["LastModifiedDate", "LastModifiedById", "SystemModstamp"].contains($0.name)
                }
                #expect(!changed.isEmpty)
                #expect(changed.allSatisfy { previous.record[$0.name] != $0.value }, "\(change)")
                // Nothing else moved.
                let written = Set(change.writes.map(\.name))
                #expect(version.record.fields.filter { !written.contains($0.name) }
                    == previous.record.fields.filter { !written.contains($0.name) })
                checked += 1
            }
        }
        #expect(checked > 100)
    }

    @Test("describe lists system, standard and custom fields with types")
    func describe() {
        let account = Self.org.describe("account")!
        #expect(account.name == "Account" && account.keyPrefix == "001")
        #expect(Array(account.fieldNames.prefix(7)) == [
            "Id", "IsDeleted", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp",
        ])
        #expect(account.field(named: "AnnualRevenue")?.type == "currency")
        #expect(account.field(named: "Customer_Tier__c")?.picklistValues.contains("Gold") == true)
        #expect(account.field(named: "Id")?.updateable == false)
        #expect(Self.org.describe("Opportunity")?.field(named: "CloseDate")?.nillable == false)
        #expect(Self.org.describe("Widget__c") == nil)
        #expect(Self.org.objectNames == ["User", "Account", "Contact", "Lead", "Opportunity", "Case"])
    }
}
