/// The six objects of the synthetic org and their fields: standard fields as Salesforce names them, plus
/// custom `…__c` fields.
struct ObjectSpec: Sendable {
    let name: String
    let keyPrefix: String
    let fields: [FieldSpec]
    private let indexByName: [String: Int]

    init(name: String, keyPrefix: String, fields: [FieldSpec]) {
        self.name = name
        self.keyPrefix = keyPrefix
        self.fields = fields
        indexByName = Dictionary(uniqueKeysWithValues: fields.enumerated().map { ($1.name, $0) })
    }

    var description: SalesforceObjectDescription {
        SalesforceObjectDescription(name: name, keyPrefix: keyPrefix, fields: fields.map(\.description))
    }

    func index(of field: String) -> Int? { indexByName[field] }
}

enum ObjectCatalog {
    /// Dependency order: an object only looks up objects before it.
    static let all: [ObjectSpec] = [user, account, contact, lead, opportunity, caseObject]

    static func systemFields(owned: Bool) -> [FieldSpec] {
        var fields: [FieldSpec] = [
            .system("Id", "id"),
            .system("IsDeleted", "boolean"),
            .system("CreatedDate", "datetime"),
            .system("CreatedById", "reference", reference: "User"),
            .system("LastModifiedDate", "datetime"),
            .system("LastModifiedById", "reference", reference: "User"),
            .system("SystemModstamp", "datetime"),
        ]
        if owned { fields.append(.lookup("OwnerId", "User", required: true, edit: true, mass: true)) }
        return fields
    }

    static let leadSources = ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"]
    static let industries = [
        "Agriculture", "Apparel", "Banking", "Biotechnology", "Chemicals", "Communications", "Construction",
        "Consulting", "Education", "Electronics", "Energy", "Engineering", "Entertainment", "Finance",
        "Food & Beverage", "Government", "Healthcare", "Hospitality", "Insurance", "Manufacturing", "Media",
        "Not For Profit", "Retail", "Shipping", "Technology", "Telecommunications", "Transportation", "Utilities",
    ]
    static let ratings = ["Hot", "Warm", "Cold"]
    static let leadStatuses = ["Open - Not Contacted", "Working - Contacted", "Closed - Converted",
                               "Closed - Not Converted"]
    /// Opportunity stages with their default probability and forecast category.
    static let stages: [(name: String, probability: Int, forecast: String)] = [
        ("Prospecting", 10, "Pipeline"), ("Qualification", 10, "Pipeline"), ("Needs Analysis", 20, "Pipeline"),
        ("Value Proposition", 50, "Pipeline"), ("Id. Decision Makers", 60, "Pipeline"),
        ("Perception Analysis", 70, "Pipeline"), ("Proposal/Price Quote", 75, "BestCase"),
        ("Negotiation/Review", 90, "Commit"), ("Closed Won", 100, "Closed"), ("Closed Lost", 0, "Omitted"),
    ]
    static let caseStatuses = ["New", "Working", "Escalated", "Closed"]

    static let user = ObjectSpec(name: "User", keyPrefix: "005", fields: systemFields(owned: false) + [
        .field("FirstName", "string", .pool(.firstName), edit: false),
        .field("LastName", "string", .pool(.lastName), required: true, edit: false),
        .derived("Name", "string", nillable: false),
        .field("Email", "email", .email, required: true, edit: false),
        .derived("Username", "string", nillable: false),
        .derived("Alias", "string", nillable: false),
        .field("IsActive", "boolean", .boolean(trueShare: 0.95)),
        .field("Title", "string", .pool(.title), nulls: 0.1),
        .field("Department", "string", .pool(.department), nulls: 0.1),
        .picklist("TimeZoneSidKey", TextPool.timeZone.words, required: true),
        .picklist("LocaleSidKey", TextPool.locale.words, required: true, edit: false),
        .field("Employee_Number__c", "string", .autoNumber, edit: false),
    ])

    static let account = ObjectSpec(name: "Account", keyPrefix: "001", fields: systemFields(owned: true) + [
        .field("Name", "string", .pool(.companyStem), required: true, edit: false),
        .picklist("Type", ["Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller",
                           "Installation Partner", "Technology Partner", "Other"], nulls: 0.1),
        .picklist("Industry", industries, nulls: 0.1),
        .field("AnnualRevenue", "currency", .currency(100_000...5_000_000_000, step: 100_000), nulls: 0.2),
        .field("NumberOfEmployees", "int", .integer(1...250_000), nulls: 0.15),
        .picklist("Rating", ratings, nulls: 0.3, mass: true),
        .field("Phone", "phone", .phone, nulls: 0.1),
        .field("Website", "url", .url, nulls: 0.2, edit: false),
        .field("BillingCity", "string", .pool(.city), nulls: 0.05),
        .field("BillingState", "string", .pool(.state), nulls: 0.3),
        .field("BillingCountry", "string", .pool(.country), nulls: 0.05),
        .lookup("ParentId", "Account", nulls: 0.85),
        .picklist("Customer_Tier__c", ["Platinum", "Gold", "Silver", "Bronze"], nulls: 0.2, mass: true),
        .field("Lifetime_Value__c", "currency", .currency(0...2_000_000, step: 50), nulls: 0.3),
        .picklist("Active__c", ["Yes", "No"], nulls: 0.1, mass: true),
        .field("SLAExpirationDate__c", "date", .date(-200...700), nulls: 0.4),
        .field("NPS__c", "double", .integer(0...10), nulls: 0.5),
        // Names as managed packages and geolocation fields have them in real orgs (EXTERNAL-FACTS §4.5), so every
        // extraction and CDC test carries them through.
        .field("SBQQ__Contracted_Value__c", "currency", .currency(0...500_000, step: 10), nulls: 0.4),
        .field("HQ__Latitude__s", "double", .integer(0...80), nulls: 0.5),
    ])

    static let contact = ObjectSpec(name: "Contact", keyPrefix: "003", fields: systemFields(owned: true) + [
        .lookup("AccountId", "Account", nulls: 0.05),
        .field("FirstName", "string", .pool(.firstName), nulls: 0.02, edit: false),
        .field("LastName", "string", .pool(.lastName), required: true, edit: false),
        .derived("Name", "string", nillable: false),
        .field("Email", "email", .email, nulls: 0.1),
        .field("Phone", "phone", .phone, nulls: 0.2),
        .field("Title", "string", .pool(.title), nulls: 0.2),
        .field("Department", "string", .pool(.department), nulls: 0.3),
        .picklist("LeadSource", leadSources, nulls: 0.3, mass: true),
        .field("Birthdate", "date", .date(-25_000 ... -7_000), nulls: 0.6),
        .field("MailingCity", "string", .pool(.city), nulls: 0.2),
        .field("MailingCountry", "string", .pool(.country), nulls: 0.2),
        .field("HasOptedOutOfEmail", "boolean", .boolean(trueShare: 0.1), mass: true),
        .picklist("Preferred_Channel__c", ["Email", "Phone", "SMS", "In person"], nulls: 0.3, mass: true),
    ])

    static let lead = ObjectSpec(name: "Lead", keyPrefix: "00Q", fields: systemFields(owned: true) + [
        .field("FirstName", "string", .pool(.firstName), nulls: 0.02, edit: false),
        .field("LastName", "string", .pool(.lastName), required: true, edit: false),
        .derived("Name", "string", nillable: false),
        .field("Company", "string", .pool(.companyStem), required: true, edit: false),
        .field("Email", "email", .email, nulls: 0.1),
        .field("Phone", "phone", .phone, nulls: 0.2),
        .field("Title", "string", .pool(.title), nulls: 0.3),
        .picklist("Status", Array(leadStatuses.prefix(2)) + ["Closed - Not Converted"], required: true),
        .picklist("LeadSource", leadSources, nulls: 0.2, mass: true),
        .picklist("Industry", industries, nulls: 0.3),
        .picklist("Rating", ratings, nulls: 0.4, mass: true),
        .field("AnnualRevenue", "currency", .currency(50_000...500_000_000, step: 50_000), nulls: 0.5),
        .field("NumberOfEmployees", "int", .integer(1...50_000), nulls: 0.5),
        .derived("IsConverted", "boolean", nillable: false),
        .derived("ConvertedDate", "date"),
        .derived("ConvertedAccountId", "reference", reference: "Account"),
        .derived("ConvertedContactId", "reference", reference: "Contact"),
        .derived("ConvertedOpportunityId", "reference", reference: "Opportunity"),
        .field("Lead_Score__c", "double", .integer(0...100), nulls: 0.2),
    ])

    static let opportunity = ObjectSpec(name: "Opportunity", keyPrefix: "006", fields: systemFields(owned: true) + [
        .lookup("AccountId", "Account", nulls: 0.02),
        .field("Name", "string", .pool(.companyStem), required: true, edit: false),
        .picklist("StageName", stages.map(\.name), required: true),
        .field("Amount", "currency", .currency(1_000...2_500_000, step: 500), nulls: 0.1),
        .derived("Probability", "percent"),
        .field("CloseDate", "date", .date(-30...240), required: true),
        .picklist("Type", ["Existing Customer - Upgrade", "Existing Customer - Replacement",
                           "Existing Customer - Downgrade", "New Customer"], nulls: 0.2),
        .picklist("LeadSource", leadSources, nulls: 0.3, mass: true),
        .derived("IsClosed", "boolean", nillable: false),
        .derived("IsWon", "boolean", nillable: false),
        .derived("ForecastCategoryName", "picklist", picklist: ["Omitted", "Pipeline", "BestCase", "Commit", "Closed"]),
        .field("Discount_Percent__c", "percent", .halves(0...60), nulls: 0.5),
        .field("Competitor__c", "string", .pool(.competitor), nulls: 0.6),
    ])

    static let caseObject = ObjectSpec(name: "Case", keyPrefix: "500", fields: systemFields(owned: true) + [
        .field("CaseNumber", "string", .autoNumber, edit: false),
        .lookup("AccountId", "Account", nulls: 0.05),
        .lookup("ContactId", "Contact", nulls: 0.1),
        .field("Subject", "string", .pool(.subject), nulls: 0.02, edit: false),
        .picklist("Status", caseStatuses, required: true),
        .picklist("Priority", ["High", "Medium", "Low"], nulls: 0.05, mass: true),
        .picklist("Origin", ["Phone", "Email", "Web"], nulls: 0.05, edit: false),
        .picklist("Type", ["Problem", "Feature Request", "Question"], nulls: 0.2),
        .picklist("Reason", ["Installation", "Equipment Complexity", "Performance", "Breakdown", "Feedback",
                             "Other"], nulls: 0.3),
        .derived("IsClosed", "boolean", nillable: false),
        .derived("ClosedDate", "datetime"),
        .picklist("SLA_Violation__c", ["Yes", "No"], nulls: 0.3, mass: true),
        .field("Escalation_Level__c", "double", .integer(0...3), nulls: 0.4),
    ])
}
