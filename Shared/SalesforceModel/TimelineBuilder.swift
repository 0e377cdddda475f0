/// Builds the org's whole timeline by simulating it: the history before `baseTime` (every record's creation,
/// some edits and deletions) and then the configured changes in `(baseTime, endTime]`.
struct TimelineBuilder {
    let configuration: SalesforceOrg.Configuration
    var rules: RecordRules
    var commits: [SalesforceCommit] = []
    var nextSerial: [Int]
    let pod: String
    var adminId = ""

    init(configuration: SalesforceOrg.Configuration) {
        self.configuration = configuration
        rules = RecordRules(state: OrgState(specs: ObjectCatalog.all),
                            random: ModelRandom(seed: configuration.seed, stream: 1))
        nextSerial = ObjectCatalog.all.map { _ in 0 }
        let letters = SalesforceID.base62
        let podSeed = ModelRandom.mix(configuration.seed &+ 0xA5A5)
        pod = String(letters[10 + Int(podSeed % 26)]) + String(letters[36 + Int((podSeed >> 8) % 26)])
    }

    var state: OrgState { rules.state }
    func table(_ name: String) -> Int { rules.state.tableIndex[name]! }

    mutating func build() -> [SalesforceCommit] {
        buildHistory()
        let firstChange = commits.count
        buildChanges()
        markGaps(from: firstChange)
        return commits
    }

    // MARK: - Before baseTime

    private mutating func buildHistory() {
        let c = configuration
        var tokens: [(create: Int?, edit: Bool)] = []
        let users = c.userCount
        let others = ["Account", "Contact", "Lead", "Opportunity", "Case"].map(table)
        for _ in 1..<users { tokens.append((table("User"), false)) }
        let leadingAccounts = max(1, c.recordsPerObject / 10)
        for _ in 0..<leadingAccounts { tokens.append((table("Account"), false)) }
        var rest: [(create: Int?, edit: Bool)] = []
        for t in others {
            let count = t == table("Account") ? c.recordsPerObject - leadingAccounts : c.recordsPerObject
            for _ in 0..<count { rest.append((t, false)) }
        }
        for _ in 0..<(c.recordsPerObject * 5 * 3 / 10) { rest.append((nil, true)) }
        for _ in 0..<(c.recordsPerObject * 4 * 3 / 100) { rest.append((nil, false)) }
        for i in stride(from: rest.count - 1, to: 0, by: -1) { rest.swapAt(i, rules.random.below(i + 1)) }
        tokens += rest

        let start = c.baseTimeMs - Int64(c.historyDays) * SalesforceTime.msPerDay
        let times = Self.commitTimes(count: tokens.count + 1, after: start, until: c.baseTimeMs - 3_600_000,
                                     random: &rules.random)
        // The first user (the org's admin) creates itself.
        let adminCreate = createChange(table: table("User"), time: times[0], user: nil)
        adminId = adminCreate.recordIds[0]
        append(time: times[0], user: adminId, origin: "", changes: [adminCreate])
        for (token, time) in zip(tokens, times.dropFirst()) {
            let user = randomUser()
            if let t = token.create {
                append(time: time, user: user, origin: uiOrAPI(), changes: [createChange(table: t, time: time, user: user)])
            } else if token.edit, let change = randomUpdate(time: time, user: user) {
                append(time: time, user: user, origin: uiOrAPI(), changes: [change])
            } else if !token.edit, let change = deleteChange(count: 1, time: time) {
                append(time: time, user: user, origin: uiOrAPI(), changes: [change])
            }
        }
    }

    // MARK: - After baseTime

    private mutating func buildChanges() {
        let c = configuration
        let times = Self.commitTimes(count: c.changes, after: c.baseTimeMs, until: c.baseTimeMs + c.durationMs,
                                     random: &rules.random)
        let overflowAt = c.overflow ? c.changes / 2 : -1
        for (i, time) in times.enumerated() {
            let user = randomUser()
            if i == overflowAt, let changes = overflowChanges(time: time, user: user) {
                append(time: time, user: user, origin: "com/salesforce/api/soap/62.0;client=DataLoader",
                       changes: changes, overflowAfter: c.overflowThreshold)
                continue
            }
            let roll = rules.random.below(1_000_000)
            let merge = Int(c.mergeShare * 1_000_000), transaction = merge + 60_000
            var changes: [SalesforceChange]? = nil
            var origin = uiOrAPI()
            if roll < merge {
                changes = (rules.random.chance(0.8) ? massUpdate(time: time, user: user)
                    : deleteChange(count: rules.random.int(in: 2...3), time: time)).map { [$0] }
                origin = "com/salesforce/api/soap/62.0;client=DataLoader"
            } else if roll < transaction {
                changes = rules.random.chance(0.5) ? leadConversion(time: time, user: user)
                    : accountWithContacts(time: time, user: user)
            } else {
                changes = singleChange(time: time, user: user).map { [$0] }
            }
            // Whatever could not be built (nothing to undelete, no lead to convert) becomes an ordinary edit.
            let built = changes ?? randomUpdate(time: time, user: user).map { [$0] } ?? []
            if !built.isEmpty { append(time: time, user: user, origin: origin, changes: built) }
        }
    }

    private mutating func singleChange(time: Int64, user: String) -> SalesforceChange? {
        let roll = rules.random.below(100)
        if roll < 68 { return randomUpdate(time: time, user: user) }
        if roll < 84 {
            let t = table(rules.random.pick(["Account", "Contact", "Contact", "Lead", "Opportunity", "Case", "Case"]))
            return createChange(table: t, time: time, user: user)
        }
        if roll < 93 { return deleteChange(count: 1, time: time) }
        return undeleteChange(time: time)
    }

    // MARK: - Gaps

    /// Marks single-record commits whose events become `GAP_*` events: a `gapShare` of them, and always the
    /// first of each change kind after `from` so every gap type occurs.
    private mutating func markGaps(from first: Int) {
        var random = ModelRandom(seed: configuration.seed, stream: 7)
        var forced = Set<ChangeKind>()
        for i in first..<commits.count {
            let commit = commits[i]
            guard commit.changes.count == 1, commit.changes[0].recordIds.count == 1, commit.overflowAfter == nil
            else { continue }
            let kind = commit.changes[0].kind
            let chance = random.chance(configuration.gapShare)
            if configuration.gapShare > 0, i >= first + 3, !forced.contains(kind) {
                forced.insert(kind)
                commits[i].isGap = true
            } else if chance {
                commits[i].isGap = true
            }
        }
    }

    // MARK: - Helpers

    mutating func append(time: Int64, user: String, origin: String, changes: [SalesforceChange],
                         overflowAfter: Int? = nil) {
        let index = commits.count
        let commit = SalesforceCommit(
            index: index, timestampMs: time, commitNumber: 10_000_000_000 + Int64(index) * 7 + 3,
            transactionKey: Self.transactionKey(seed: configuration.seed, index: index), userId: user,
            changeOrigin: origin, changes: changes, isGap: false, overflowAfter: overflowAfter)
        rules.state.apply(commit)
        commits.append(commit)
    }

    mutating func randomUser() -> String {
        guard !adminId.isEmpty else { return "" }
        for _ in 0..<4 {
            guard let id = rules.liveId(of: "User") else { break }
            let t = table("User"), row = state.tables[t].row[id]!
            if state.tables[t].value(row, "IsActive") == .boolean(true) { return id }
        }
        return adminId
    }

    mutating func uiOrAPI() -> String {
        rules.random.chance(0.3) ? "com/salesforce/api/rest/62.0;client=SalesforceMobileSDK" : ""
    }

    static func transactionKey(seed: UInt64, index: Int) -> String {
        let a = ModelRandom.mix(seed ^ UInt64(index) &* 0x9E37_79B9), b = ModelRandom.mix(a)
        func hex(_ v: UInt64, _ digits: Int) -> String {
            let text = String(v, radix: 16)
            return String((String(repeating: "0", count: 16) + text).suffix(digits))
        }
        return "\(hex(a >> 32, 8))-\(hex(a >> 16, 4))-\(hex(a, 4))-\(hex(b >> 48, 4))-\(hex(b, 12))"
    }

    /// `count` strictly increasing times in `(after, until]`, evenly spread with jitter.
    static func commitTimes(count: Int, after: Int64, until: Int64, random: inout ModelRandom) -> [Int64] {
        guard count > 0 else { return [] }
        let spacing = max(3, (until - after) / Int64(count + 1))
        let jitter = spacing / 3
        return (0..<count).map { i in
            after + Int64(i + 1) * spacing + (jitter > 0 ? random.int64(-jitter, jitter + 1) : 0)
        }
    }
}
