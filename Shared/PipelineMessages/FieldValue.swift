internal import CPipelineProto

/// One Salesforce field and its value as text; `value == nil` means the field was set to null.
///
/// Null, empty string and "not mentioned" are three different facts in CDC, so a list of these says all
/// three: a field missing from the list was not changed.
public struct FieldValue: Sendable, Hashable {
    /// Salesforce API name in ``ChangeEvent``, snake_case in ``RecordChange``; compound fields are
    /// flattened with a dot, e.g. `BillingAddress.City`.
    public var name: String
    /// The value as text (numbers and dates keep their exact Salesforce rendering), or nil for null.
    public var value: String?

    public init(name: String, value: String?) {
        self.name = name
        self.value = value
    }
}

extension FieldValue: ProtobufCConvertible {
    static var cInitializer: (UnsafeMutablePointer<Tributary__V1__FieldValue>?) -> Void {
        tributary__v1__field_value__init
    }

    init(cMessage c: Tributary__V1__FieldValue) {
        name = String(protobufC: c.name)
        // A null keeps no text, even if a writer sent some.
        value = c.is_null != 0 ? nil : String(protobufC: c.value)
    }

    func fill(_ c: inout Tributary__V1__FieldValue, in arena: EncodingArena) {
        c.name = arena.string(name)
        c.value = value.map(arena.string)
        c.is_null = value == nil ? 1 : 0
    }
}
