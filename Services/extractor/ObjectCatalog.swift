import SalesforceExtraction

/// The objects this extractor may read and their described fields, each described once per process.
///
/// Only the configured objects are known: a `pipeline.batch` request for anything else is refused before a
/// call is made, and every SOQL name comes from these descriptions.
actor ObjectCatalog {
    let objects: [String]
    private var described: [String: ObjectDescription] = [:]

    init(objects: [String]) {
        self.objects = objects
    }

    func knows(_ object: String) -> Bool { objects.contains(object) }

    /// The object's description and the fields extraction selects.
    func description(
        of object: String, session: SalesforceSession
    ) async throws(SalesforceError) -> ObjectDescription {
        if let known = described[object] { return known }
        let path = await session.apiPath + "/sobjects/\(object)/describe"
        let description = try await session.get(path) { bytes throws(SalesforceResponseError) in
            try ObjectDescription(json: bytes)
        }
        guard description.name == object else {
            throw .rejected(status: 200, code: "INVALID_RESPONSE", message: "describe of \(object) named another object")
        }
        described[object] = description
        return description
    }
}
