/// The kinds of change the timeline is made of, each built against the current simulated state.
extension TimelineBuilder {
    /// A new record with every field drawn; `user == nil` makes the record its own creator (the admin).
    mutating func createChange(table t: Int, time: Int64, user: String?,
                               overrides: [String: SalesforceValue] = [:]) -> SalesforceChange {
        let spec = state.tables[t].spec
        let serial = nextSerial[t]
        nextSerial[t] += 1
        let id = SalesforceID.make(prefix: spec.keyPrefix, pod: pod, serial: 4096 + serial)
        let creator = user ?? id
        var values = [SalesforceValue](repeating: .null, count: spec.fields.count)
        for (i, field) in spec.fields.enumerated() {
            values[i] = rules.draw(field, table: t, values: values, timeMs: time, serial: serial)
        }
        let system: [String: SalesforceValue] = [
            "Id": .string(id), "IsDeleted": .boolean(false), "CreatedDate": .dateTime(time),
            "CreatedById": .string(creator), "LastModifiedDate": .dateTime(time),
            "LastModifiedById": .string(creator), "SystemModstamp": .dateTime(time),
        ]
        for (name, value) in system.merging(overrides, uniquingKeysWith: { $1 }) {
            values[spec.index(of: name)!] = value
        }
        if let owner = spec.index(of: "OwnerId"), values[owner] == .null { values[owner] = .string(creator) }
        rules.derive(table: t, &values, timeMs: time, previous: nil)
        return SalesforceChange(object: spec.name, kind: .create, recordIds: [id], writes: fields(t, values))
    }

    /// An edit of 1–3 editable fields of a random live record.
    mutating func randomUpdate(time: Int64, user: String) -> SalesforceChange? {
        let weights = [("User", 1), ("Account", 3), ("Contact", 4), ("Lead", 3), ("Opportunity", 5), ("Case", 5)]
        var roll = rules.random.below(weights.reduce(0) { $0 + $1.1 })
        let name = weights.first { roll -= $0.1; return roll < 0 }!.0
        guard let id = rules.liveId(of: name) else { return nil }
        return updateChange(table: table(name), row: state.tables[table(name)].row[id]!, time: time, user: user)
    }

    /// An edit of one record, or nil when the drawn values happen to change nothing.
    mutating func updateChange(table t: Int, row: Int, time: Int64, user: String,
                               set: [String: SalesforceValue] = [:]) -> SalesforceChange? {
        let spec = state.tables[t].spec
        let old = state.tables[t].values[row]
        var values = old
        if set.isEmpty {
            let editable = spec.fields.indices.filter { spec.fields[$0].editable }
            for _ in 0..<rules.random.int(in: 1...3) {
                let i = rules.random.pick(editable)
                values[i] = rules.draw(spec.fields[i], table: t, values: values, timeMs: time, serial: row,
                                       current: values[i])
            }
        } else {
            for (name, value) in set { values[spec.index(of: name)!] = value }
        }
        rules.derive(table: t, &values, timeMs: time, previous: old)
        let changed = values.indices.filter { values[$0] != old[$0] }
        guard !changed.isEmpty else { return nil }
        for (name, value) in [("LastModifiedDate", SalesforceValue.dateTime(time)),
                              ("LastModifiedById", .string(user)), ("SystemModstamp", .dateTime(time))] {
            values[spec.index(of: name)!] = value
        }
        let written = Set(changed).union(["LastModifiedDate", "LastModifiedById", "SystemModstamp"].map {
            spec.index(of: $0)!
        })
        let writes = written.sorted().map { SalesforceField(name: spec.fields[$0].name, value: values[$0]) }
        return SalesforceChange(object: spec.name, kind: .update, recordIds: [state.tables[t].ids[row]], writes: writes)
    }

    /// Deletes `count` live records of one deletable object (several: a mass delete, one merged event).
    mutating func deleteChange(count: Int, time: Int64) -> SalesforceChange? {
        let name = rules.random.pick(["Contact", "Lead", "Opportunity", "Case"])
        let ids = distinctLive(name, count: count) { _ in true }
        guard ids.count == count else { return nil }
        return SalesforceChange(object: name, kind: .delete, recordIds: ids,
                                writes: [.init(name: "IsDeleted", value: .boolean(true)),
                                         .init(name: "SystemModstamp", value: .dateTime(time))])
    }

    /// Restores a deleted record from the recycle bin: every field, `IsDeleted` false, a new `SystemModstamp`.
    mutating func undeleteChange(time: Int64) -> SalesforceChange? {
        var candidates: [(Int, Int)] = []
        for (t, table) in rules.state.tables.enumerated() {
            let deleted = table.deleted
            for row in deleted.indices where deleted[row] { candidates.append((t, row)) }
        }
        guard !candidates.isEmpty else { return nil }
        let (t, row) = rules.random.pick(candidates)
        let spec = state.tables[t].spec
        var values = state.tables[t].values[row]
        values[spec.index(of: "IsDeleted")!] = .boolean(false)
        values[spec.index(of: "SystemModstamp")!] = .dateTime(time)
        return SalesforceChange(object: spec.name, kind: .undelete, recordIds: [state.tables[t].ids[row]],
                                writes: fields(t, values))
    }

    /// The same field set to the same value on 2–5 records in one go: one change, one merged CDC event.
    mutating func massUpdate(time: Int64, user: String) -> SalesforceChange? {
        let name = rules.random.pick(["Account", "Contact", "Lead", "Opportunity", "Case"])
        let t = table(name), spec = state.tables[t].spec
        let field = rules.random.pick(spec.fields.filter(\.massEditable))
        var value = SalesforceValue.null
        for _ in 0..<4 where value == .null {
            value = rules.draw(field, table: t, values: [], timeMs: time, serial: 0)
        }
        let i = spec.index(of: field.name)!
        let values = state.tables[t].values, count = rules.random.int(in: 2...5)
        let ids = distinctLive(name, count: count) { row in values[row][i] != value }
        guard ids.count >= 2 else { return nil }
        return SalesforceChange(object: name, kind: .update, recordIds: ids, writes: [
            .init(name: "LastModifiedDate", value: .dateTime(time)), .init(name: "LastModifiedById", value: .string(user)),
            .init(name: "SystemModstamp", value: .dateTime(time)), .init(name: field.name, value: value),
        ].sorted { spec.index(of: $0.name)! < spec.index(of: $1.name)! })
    }

    /// One transaction editing more Contacts than the (scaled-down) overflow threshold.
    mutating func overflowChanges(time: Int64, user: String) -> [SalesforceChange]? {
        let size = configuration.overflowThreshold + max(3, configuration.overflowThreshold / 2)
        let t = table("Contact")
        var changes: [SalesforceChange] = []
        for id in distinctLive("Contact", count: size, { _ in true }) {
            let row = state.tables[t].row[id]!
            let current = state.tables[t].value(row, "MailingCity")
            let city = rules.random.pick(TextPool.city.words.filter { .string($0) != current })
            let change = updateChange(table: t, row: row, time: time, user: user, set: ["MailingCity": .string(city)])
            if let change { changes.append(change) }
        }
        return changes.count > configuration.overflowThreshold ? changes : nil
    }

    /// Lead conversion: creates an Account, a Contact and an Opportunity and marks the Lead converted, in one
    /// transaction (sequence numbers 1–4).
    mutating func leadConversion(time: Int64, user: String) -> [SalesforceChange]? {
        let l = table("Lead")
        let leads = state.tables[l], converted = leads.fieldIndex["IsConverted"]!
        let ids = distinctLive("Lead", count: 1) { leads.values[$0][converted] == .boolean(false) }
        guard let leadId = ids.first else { return nil }
        let row = state.tables[l].row[leadId]!
        func lead(_ f: String) -> SalesforceValue { state.tables[l].value(row, f) }
        let account = createChange(table: table("Account"), time: time, user: user, overrides: [
            "Name": lead("Company"), "Industry": lead("Industry"), "Rating": lead("Rating"),
            "AnnualRevenue": lead("AnnualRevenue"), "NumberOfEmployees": lead("NumberOfEmployees"),
            "OwnerId": lead("OwnerId"), "Type": .string("Customer - Direct"), "ParentId": .null,
        ])
        let accountId = SalesforceValue.string(account.recordIds[0])
        let contact = createChange(table: table("Contact"), time: time, user: user, overrides: [
            "AccountId": accountId, "FirstName": lead("FirstName"), "LastName": lead("LastName"),
            "Email": lead("Email"), "Phone": lead("Phone"), "Title": lead("Title"), "LeadSource": lead("LeadSource"),
            "OwnerId": lead("OwnerId"),
        ])
        let opportunity = createChange(table: table("Opportunity"), time: time, user: user, overrides: [
            "AccountId": accountId, "Name": .string("\(lead("Company").text ?? "New") -"),
            "StageName": .string("Prospecting"), "LeadSource": lead("LeadSource"), "OwnerId": lead("OwnerId"),
        ])
        guard let converted = updateChange(table: l, row: row, time: time, user: user, set: [
            "Status": .string("Closed - Converted"), "IsConverted": .boolean(true),
            "ConvertedDate": .date(SalesforceTime.days(ofMs: time)), "ConvertedAccountId": accountId,
            "ConvertedContactId": .string(contact.recordIds[0]),
            "ConvertedOpportunityId": .string(opportunity.recordIds[0]),
        ]) else { return nil }
        return [account, contact, opportunity, converted]
    }

    /// A new Account with 2–3 Contacts, one transaction.
    mutating func accountWithContacts(time: Int64, user: String) -> [SalesforceChange]? {
        let account = createChange(table: table("Account"), time: time, user: user)
        let contacts = (0..<rules.random.int(in: 2...3)).map { _ in
            createChange(table: table("Contact"), time: time, user: user,
                         overrides: ["AccountId": .string(account.recordIds[0])])
        }
        return [account] + contacts
    }

    // MARK: -

    /// Up to `count` distinct live records of an object that satisfy `filter`.
    mutating func distinctLive(_ name: String, count: Int, _ filter: (Int) -> Bool) -> [String] {
        let t = table(name)
        let deleted = rules.state.tables[t].deleted
        let rows = deleted.indices.filter { !deleted[$0] && filter($0) }
        guard !rows.isEmpty else { return [] }
        var chosen: [Int] = []
        var pool = rows
        while chosen.count < count, !pool.isEmpty {
            chosen.append(pool.remove(at: rules.random.below(pool.count)))
        }
        let ids = rules.state.tables[t].ids
        return chosen.map { ids[$0] }
    }

    func fields(_ t: Int, _ values: [SalesforceValue]) -> [SalesforceField] {
        zip(state.tables[t].spec.fields, values).map { SalesforceField(name: $0.name, value: $1) }
    }
}
