/// What `GET /sobjects/<Object>/describe` says about an object: the only source of names SOQL may carry.
public struct ObjectDescription: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var type: String
        public var nillable: Bool
        public var updateable: Bool

        public init(name: String, type: String, nillable: Bool = true, updateable: Bool = true) {
            self.name = name
            self.type = type
            self.nillable = nillable
            self.updateable = updateable
        }
    }

    public var name: String
    public var fields: [Field]

    public init(name: String, fields: [Field]) {
        self.name = name
        self.fields = fields
    }

    /// Decodes a describe response.
    /// - Throws: ``SalesforceResponseError`` when the body is not JSON, lacks `name`/`fields`, or a field lacks
    ///   a string `name`/`type`.
    public init(json bytes: [UInt8]) throws(SalesforceResponseError) {
        let document = try SalesforceResponseError.parse(bytes, what: "describe")
        guard let object = document.object, let name = object["name"]?.string, let list = object["fields"]?.array
        else { throw SalesforceResponseError("describe response without name and fields") }
        var fields: [Field] = []
        for entry in list {
            guard let field = entry.object, let fieldName = field["name"]?.string, let type = field["type"]?.string
            else { throw SalesforceResponseError("describe field without name and type") }
            fields.append(
                Field(
                    name: fieldName, type: type, nillable: field["nillable"]?.bool ?? true,
                    updateable: field["updateable"]?.bool ?? false))
        }
        self.init(name: name, fields: fields)
    }

    /// Compound fields (addresses, geolocations) repeat their component fields, so extraction leaves them out.
    public static let compoundTypes: Set<String> = ["address", "location"]

    /// The fields extraction selects: every described field with a valid name, compounds excluded.
    public var extractableFieldNames: [String] {
        fields.filter { !Self.compoundTypes.contains($0.type) && SOQLIdentifier.isValid($0.name) }.map(\.name)
    }

    /// Whether the object has the field, by exact API name.
    public func has(_ field: String) -> Bool { fields.contains { $0.name == field } }
}
