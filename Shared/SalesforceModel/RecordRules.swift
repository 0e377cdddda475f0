/// Draws field values and keeps the fields Salesforce computes (names, probabilities, closed flags) consistent.
struct RecordRules {
    var state: OrgState
    var random: ModelRandom

    /// A value for a field of a new or edited record; `current` is excluded for picklists so an edit changes it.
    mutating func draw(_ field: FieldSpec, table t: Int, values: [SalesforceValue], timeMs: Int64, serial: Int,
                       current: SalesforceValue? = nil) -> SalesforceValue {
        if field.nullShare > 0, random.chance(field.nullShare) { return .null }
        let spec = state.tables[t].spec
        func named(_ name: String) -> String? { spec.index(of: name).flatMap { values[$0].text } }
        switch field.kind {
        case .system, .derived:
            return .null
        case .pool(let pool):
            if field.name == "Name" || field.name == "Company" { return .string(companyName()) }
            return .string(random.pick(pool.words))
        case .email:
            let local = [named("FirstName"), named("LastName")].compactMap { $0.map(Self.ascii) }.joined(separator: ".")
            let domain = Self.ascii(random.pick(TextPool.companyStem.words))
            return .string("\(local.isEmpty ? "info" : local)@\(domain).example.com")
        case .phone:
            return .string("(\(random.int(in: 200...989))) 555-\(String(random.int(in: 1000...9999)))")
        case .url:
            return .string("https://www.\(Self.ascii(random.pick(TextPool.companyStem.words))).example.com")
        case .picklist:
            let choices = field.description.picklistValues.filter {
                $0 != "Closed - Converted" && $0 != "Closed" && .string($0) != current
            }
            return .string(random.pick(choices.isEmpty ? field.description.picklistValues : choices))
        case .currency(let range, let step):
            let steps = (range.upperBound - range.lowerBound) / step
            return SalesforceValue.javaDouble(units: range.lowerBound + random.int64(0, steps + 1) * step)
        case .integer(let range):
            let n = random.int(in: range)
            return field.description.type == "int" ? .number(String(n)) : SalesforceValue.javaDouble(units: Int64(n))
        case .halves(let range):
            let halves = random.int(in: (range.lowerBound * 2)...(range.upperBound * 2))
            return SalesforceValue.javaDouble(units: Int64(halves * 5), scale: 1)
        case .date(let days):
            return .date(SalesforceTime.days(ofMs: timeMs) + Int64(random.int(in: days)))
        case .boolean(let share):
            return .boolean(random.chance(share))
        case .lookup(let object):
            return liveId(of: object).map(SalesforceValue.string) ?? .null
        case .autoNumber:
            let text = String(1000 + serial)
            return .string(String(repeating: "0", count: max(0, 8 - text.count)) + text)
        }
    }

    mutating func companyName() -> String {
        "\(random.pick(TextPool.companyStem.words)) \(random.pick(TextPool.companySuffix.words))"
    }

    /// A random live record's id, nil when the object has none (a few tries, then give up).
    mutating func liveId(of object: String) -> String? {
        guard let t = state.tableIndex[object] else { return nil }
        let deleted = state.tables[t].deleted
        guard !deleted.isEmpty else { return nil }
        for _ in 0..<6 {
            let row = random.below(deleted.count)
            if !deleted[row] { return state.tables[t].ids[row] }
        }
        return nil
    }

    /// Recomputes the derived fields from the others; `previous` is the record before an edit.
    func derive(table t: Int, _ values: inout [SalesforceValue], timeMs: Int64, previous: [SalesforceValue]?) {
        let spec = state.tables[t].spec
        func set(_ name: String, _ value: SalesforceValue) {
            if let i = spec.index(of: name) { values[i] = value }
        }
        func text(_ name: String) -> String? { spec.index(of: name).flatMap { values[$0].text } }
        switch spec.name {
        case "User":
            let first = text("FirstName"), last = text("LastName") ?? ""
            set("Name", .string([first, last].compactMap { $0 }.joined(separator: " ")))
            if previous == nil {
                let email = text("Email") ?? "user"
                set("Username", .string(email + ".tributary"))
                set("Alias", .string(String((first?.prefix(1) ?? "") + last.prefix(4)).lowercased()))
            }
        case "Contact", "Lead":
            set("Name", .string([text("FirstName"), text("LastName")].compactMap { $0 }.joined(separator: " ")))
            if spec.name == "Lead", values[spec.index(of: "IsConverted")!] == .null { set("IsConverted", .boolean(false)) }
        case "Opportunity":
            let stageName = text("StageName") ?? "Prospecting"
            let stage = ObjectCatalog.stages.first { $0.name == stageName } ?? ObjectCatalog.stages[0]
            if previous == nil || previous?[spec.index(of: "StageName")!] != values[spec.index(of: "StageName")!] {
                set("Probability", SalesforceValue.javaDouble(units: Int64(stage.probability)))
            }
            set("IsClosed", .boolean(stage.name.hasPrefix("Closed")))
            set("IsWon", .boolean(stage.name == "Closed Won"))
            set("ForecastCategoryName", .string(stage.forecast))
        case "Case":
            let closed = text("Status") == "Closed"
            set("IsClosed", .boolean(closed))
            let wasClosed = previous.map { $0[spec.index(of: "IsClosed")!] == .boolean(true) } ?? false
            if !closed {
                set("ClosedDate", .null)
            } else if !wasClosed {
                set("ClosedDate", .dateTime(timeMs))
            }
        default:
            break
        }
    }

    static func ascii(_ text: String) -> String {
        let map: [Character: String] = ["á": "a", "é": "e", "í": "i", "ó": "o", "ú": "u", "ü": "u", "ö": "o",
                                        "ä": "a", "ã": "a", "ç": "c", "ñ": "n", "'": ""]
        return text.lowercased().map { map[$0] ?? (($0.isASCII && ($0.isLetter || $0.isNumber)) ? String($0) : "") }
            .joined()
    }
}
