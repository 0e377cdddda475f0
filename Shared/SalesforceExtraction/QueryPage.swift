/// One page of a `/query` or `/queryAll` answer: `{"totalSize","done","nextRecordsUrl"?,"records":[…]}`.
public struct QueryPage: Sendable, Equatable {
    public var totalSize: Int64
    public var done: Bool
    /// The next page's path, checked to be a query-locator path on the same API (never another host).
    public var nextRecordsPath: String?
    public var records: [JSONObject]

    /// Decodes a page.
    /// - Throws: ``SalesforceResponseError`` when the body is not JSON (retriable: usually truncated), lacks
    ///   `done`/`records`, a record is not an object, or `nextRecordsUrl` is missing while not done or is not a
    ///   query-locator path.
    public init(json bytes: [UInt8]) throws(SalesforceResponseError) {
        let document = try SalesforceResponseError.parse(bytes, what: "query")
        guard let object = document.object, let done = object["done"]?.bool, let list = object["records"]?.array else {
            throw SalesforceResponseError("query response without done and records")
        }
        var records: [JSONObject] = []
        records.reserveCapacity(list.count)
        for entry in list {
            guard let record = entry.object else { throw SalesforceResponseError("query record is not an object") }
            records.append(record)
        }
        var next: String?
        if !done {
            guard let url = object["nextRecordsUrl"]?.string, Self.isLocatorPath(url) else {
                throw SalesforceResponseError("query response not done but without a valid nextRecordsUrl")
            }
            next = url
        }
        self.totalSize = object["totalSize"]?.int64 ?? Int64(records.count)
        self.done = done
        self.nextRecordsPath = next
        self.records = records
    }

    /// `/services/data/vNN.N/query/<locator>` or `/queryAll/<locator>`, locator alphanumeric with dashes.
    static func isLocatorPath(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0].isEmpty, parts[1] == "services", parts[2] == "data",
            parts[3].first == "v", parts[3].dropFirst().allSatisfy({ $0 == "." || $0.isASCII && $0.isNumber }),
            parts[4] == "query" || parts[4] == "queryAll", !parts[5].isEmpty, parts[5].count <= 64,
            parts[5].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        else { return false }
        return true
    }
}
