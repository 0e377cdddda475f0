/// The OAuth2 token endpoint's answer: `{"access_token","instance_url","token_type","issued_at","refresh_token"?}`.
public struct AccessToken: Sendable, Equatable {
    public var accessToken: String
    /// Where the org's API lives; nil when absent or not an http(s) URL.
    public var instanceURL: String?
    public var refreshToken: String?

    public init(accessToken: String, instanceURL: String? = nil, refreshToken: String? = nil) {
        self.accessToken = accessToken
        self.instanceURL = instanceURL
        self.refreshToken = refreshToken
    }

    /// Decodes a token response.
    /// - Throws: ``SalesforceResponseError`` without a usable `access_token` (one with characters that could
    ///   break a header is refused too).
    public init(json bytes: [UInt8]) throws(SalesforceResponseError) {
        let document = try SalesforceResponseError.parse(bytes, what: "token")
        guard let object = document.object, let token = object["access_token"]?.string, !token.isEmpty,
            token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { throw SalesforceResponseError("token response without a usable access_token") }
        var instance = object["instance_url"]?.string
        if let url = instance, !(url.hasPrefix("http://") || url.hasPrefix("https://")) || url.utf8.contains(where: { $0 <= 0x20 }) {
            instance = nil
        }
        while instance?.hasSuffix("/") == true { instance?.removeLast() }
        self.init(accessToken: token, instanceURL: instance, refreshToken: object["refresh_token"]?.string)
    }
}
