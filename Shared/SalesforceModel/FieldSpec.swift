/// How the model fills one field: its describe entry plus how values are drawn.
struct FieldSpec: Sendable {
    enum Kind: Sendable {
        /// Maintained by the model itself (Id, IsDeleted, CreatedDate, …).
        case system
        /// Computed from other fields by ``RecordRules``.
        case derived
        case pool(TextPool)
        case email
        case phone
        case url
        case picklist
        /// Whole dollars in the range, rounded to `step`, rendered as a Java double (`15000.0`, `2.5E7`).
        case currency(ClosedRange<Int64>, step: Int64)
        case integer(ClosedRange<Int>)
        /// Halves in the range, rendered as a Java double (`12.5`).
        case halves(ClosedRange<Int>)
        /// A date within these days around the change.
        case date(ClosedRange<Int>)
        case boolean(trueShare: Double)
        /// A reference to a live record of the object.
        case lookup(String)
        /// A running number, e.g. the Case's `00001042`.
        case autoNumber
    }

    var description: SalesforceFieldDescription
    var kind: Kind
    /// Chosen by ordinary single-record updates.
    var editable: Bool
    /// Chosen by mass updates (merged change events): no other field is derived from it.
    var massEditable: Bool
    /// Share of null when drawn (nillable fields only).
    var nullShare: Double

    var name: String { description.name }
}

/// Builders that keep the catalog readable.
extension FieldSpec {
    static func system(_ name: String, _ type: String, nillable: Bool = false, reference: String? = nil) -> FieldSpec {
        FieldSpec(
            description: .init(name: name, type: type, nillable: nillable, updateable: false, referenceTo: reference),
            kind: .system, editable: false, massEditable: false, nullShare: 0)
    }

    static func derived(_ name: String, _ type: String, nillable: Bool = true, reference: String? = nil,
                        picklist: [String] = []) -> FieldSpec {
        FieldSpec(
            description: .init(name: name, type: type, nillable: nillable, updateable: false, referenceTo: reference,
                               picklistValues: picklist),
            kind: .derived, editable: false, massEditable: false, nullShare: 0)
    }

    /// A user-editable field; `required` fields (and booleans) are not nillable.
    static func field(_ name: String, _ type: String, _ kind: Kind, nulls: Double = 0, required: Bool = false,
                      edit: Bool = true, mass: Bool = false, picklist: [String] = [],
                      reference: String? = nil) -> FieldSpec {
        FieldSpec(
            description: .init(name: name, type: type, nillable: !required && type != "boolean", updateable: true,
                               referenceTo: reference, picklistValues: picklist),
            kind: kind, editable: edit, massEditable: mass, nullShare: required ? 0 : nulls)
    }

    static func picklist(_ name: String, _ values: [String], nulls: Double = 0, required: Bool = false,
                         edit: Bool = true, mass: Bool = false) -> FieldSpec {
        field(name, "picklist", .picklist, nulls: nulls, required: required, edit: edit, mass: mass,
              picklist: values)
    }

    static func lookup(_ name: String, _ object: String, nulls: Double = 0, required: Bool = false,
                       edit: Bool = false, mass: Bool = false) -> FieldSpec {
        field(name, "reference", .lookup(object), nulls: nulls, required: required, edit: edit, mass: mass,
              reference: object)
    }
}
