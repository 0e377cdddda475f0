/// What `/sobjects/<Object>/describe` says about an object: its fields in a fixed order.
public struct SalesforceObjectDescription: Sendable, Hashable {
    /// API name, e.g. `Account`.
    public var name: String
    /// The 3-character id prefix, e.g. `001`.
    public var keyPrefix: String
    /// Every field, system fields first, in the order the simulator renders them.
    public var fields: [SalesforceFieldDescription]

    public init(name: String, keyPrefix: String, fields: [SalesforceFieldDescription]) {
        self.name = name
        self.keyPrefix = keyPrefix
        self.fields = fields
    }

    /// The field API names, in order.
    public var fieldNames: [String] { fields.map(\.name) }

    /// The field with this API name (Salesforce matches names case-insensitively; so does this).
    public func field(named name: String) -> SalesforceFieldDescription? {
        let lowered = name.lowercased()
        return fields.first { $0.name.lowercased() == lowered }
    }
}

/// One field of an object's describe.
public struct SalesforceFieldDescription: Sendable, Hashable {
    /// API name, e.g. `AnnualRevenue`, `Customer_Tier__c`.
    public var name: String
    /// Salesforce's describe type: `id`, `string`, `picklist`, `currency`, `int`, `double`, `percent`,
    /// `date`, `datetime`, `boolean`, `reference`, `email`, `phone`, `url`.
    public var type: String
    public var nillable: Bool
    public var updateable: Bool
    /// For `reference` fields, the object they point at.
    public var referenceTo: String?
    /// For `picklist` fields, the allowed values.
    public var picklistValues: [String]

    public init(name: String, type: String, nillable: Bool, updateable: Bool, referenceTo: String? = nil,
                picklistValues: [String] = []) {
        self.name = name
        self.type = type
        self.nillable = nillable
        self.updateable = updateable
        self.referenceTo = referenceTo
        self.picklistValues = picklistValues
    }

    /// True for custom fields (`…__c`).
    public var isCustom: Bool { name.hasSuffix("__c") }
}
