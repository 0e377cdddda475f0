/// Word lists the synthetic org draws names, places and titles from.
enum TextPool: Sendable {
    case firstName, lastName, companyStem, companySuffix, city, state, country, title, department, subject,
        competitor, timeZone, locale

    /// The list, built once per pool (a computed array literal would allocate on every draw).
    var words: [String] { Self.lists[self]! }

    private static let lists: [TextPool: [String]] = Dictionary(
        uniqueKeysWithValues: [TextPool.firstName, .lastName, .companyStem, .companySuffix, .city, .state, .country,
                               .title, .department, .subject, .competitor, .timeZone, .locale].map { ($0, $0.literal) })

    private var literal: [String] {
        switch self {
        case .firstName:
            ["Ada", "Alan", "Amara", "Bea", "Carlos", "Chen", "Dana", "Diego", "Elena", "Emeka", "Fatima", "Grace",
             "Hana", "Ivan", "Jamal", "Jin", "Kai", "Lars", "Leila", "Maria", "Mei", "Nadia", "Noah", "Olu", "Priya",
             "Quinn", "Rosa", "Sami", "Sofia", "Tariq", "Uma", "Victor", "Wei", "Yara", "Zoe", "Ana", "Ben", "Cleo"]
        case .lastName:
            ["Abbott", "Adeyemi", "Bauer", "Castillo", "Chen", "Dubois", "Eriksen", "Fischer", "García", "Gupta",
             "Haddad", "Ito", "Jensen", "Kim", "Kowalski", "Lopez", "Müller", "Nakamura", "Novak", "O'Brien",
             "Okafor", "Patel", "Quispe", "Rossi", "Santos", "Schmidt", "Silva", "Tanaka", "Usman", "Varga",
             "Wang", "Williams", "Xu", "Yilmaz", "Zhang", "Brown", "Dimitrov", "Nguyen"]
        case .companyStem:
            ["Acme", "Blue Harbor", "Cobalt", "Dune", "Evergreen", "Falcon", "Granite", "Helix", "Ironwood",
             "Juniper", "Kestrel", "Lumen", "Meridian", "Northwind", "Orchid", "Pinnacle", "Quarry", "Redwood",
             "Summit", "Tidewater", "Umbra", "Vertex", "Willow", "Xenon", "Yellowstone", "Zephyr", "Atlas",
             "Beacon", "Cascade", "Delta"]
        case .companySuffix:
            ["Inc.", "Ltd", "GmbH", "Corp.", "Group", "Labs", "Holdings", "Systems", "& Co.", "S.A."]
        case .city:
            ["San Francisco", "New York", "Austin", "Chicago", "Toronto", "London", "Berlin", "Paris", "Madrid",
             "Lagos", "Nairobi", "São Paulo", "Mexico City", "Tokyo", "Singapore", "Sydney", "Mumbai", "Dublin"]
        case .state:
            ["CA", "NY", "TX", "IL", "ON", "WA", "MA", "GA", "CO", "NSW"]
        case .country:
            ["United States", "Canada", "United Kingdom", "Germany", "France", "Spain", "Nigeria", "Kenya",
             "Brazil", "Mexico", "Japan", "Singapore", "Australia", "India", "Ireland"]
        case .title:
            ["CEO", "CFO", "VP Sales", "VP Engineering", "Director of IT", "Procurement Manager", "Buyer",
             "Operations Manager", "Account Executive", "Sales Rep", "Support Engineer", "Marketing Manager",
             "Data Analyst", "Office Manager"]
        case .department:
            ["Sales", "Engineering", "Finance", "Operations", "Marketing", "Support", "IT", "Procurement", "Legal"]
        case .subject:
            ["Cannot log in", "Invoice discrepancy", "Shipment delayed", "Feature request: export to CSV",
             "Device overheating", "Password reset", "Integration failing with 500 errors", "Billing address change",
             "Onboarding help", "Slow dashboard", "Refund request", "Contract renewal question"]
        case .competitor:
            ["Globex", "Initech", "Umbrella", "Hooli", "Soylent", "Stark Industries", "Wayne Enterprises"]
        case .timeZone:
            ["America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Berlin", "Asia/Tokyo"]
        case .locale:
            ["en_US", "en_GB", "de_DE", "fr_FR", "ja_JP"]
        }
    }
}
