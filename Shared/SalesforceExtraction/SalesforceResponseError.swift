/// A Salesforce response that could not be read: not JSON (a truncated body), or JSON of the wrong shape.
///
/// Messages name the problem and a byte offset, never the body (it may hold customer data).
public struct SalesforceResponseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// The body was not valid JSON at all, typically cut short: worth another attempt.
    public var isMalformedJSON: Bool

    public init(_ message: String, isMalformedJSON: Bool = false) {
        self.message = message
        self.isMalformedJSON = isMalformedJSON
    }

    public var description: String { message }

    /// Parses a body, mapping a JSON error to a retriable response error.
    static func parse(_ bytes: [UInt8], what: String) throws(SalesforceResponseError) -> JSONValue {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw SalesforceResponseError("\(what) response is not JSON (\(error))", isMalformedJSON: true)
        }
    }
}

/// The first entry of a Salesforce error array, `[{"message":"…","errorCode":"INVALID_SESSION_ID"}]`, or of an
/// OAuth error object `{"error":"invalid_client","error_description":"…"}`.
public struct SalesforceAPIError: Sendable, Equatable {
    public var errorCode: String
    public var message: String

    public init(errorCode: String, message: String) {
        self.errorCode = errorCode
        self.message = message
    }

    /// Reads an error body; nil when it has neither shape.
    public init?(json bytes: [UInt8]) {
        guard let document = try? JSONParser.parse(bytes) else { return nil }
        if let first = document.array?.first?.object, let code = first["errorCode"]?.string {
            self.init(errorCode: code, message: first["message"]?.string ?? "")
        } else if let object = document.object, let code = object["error"]?.string {
            self.init(errorCode: code, message: object["error_description"]?.string ?? "")
        } else if let object = document.object, let code = object["errorCode"]?.string {
            self.init(errorCode: code, message: object["message"]?.string ?? "")
        } else {
            return nil
        }
    }
}
