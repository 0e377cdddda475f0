/// Cuts a URL down to what is safe to log.
///
/// Webhook URLs carry their secret in the path (`https://hooks.slack.com/services/T…/B…/x…`), OAuth callbacks
/// carry codes in the query, and `user:password@` may sit in the authority. Only the scheme, host and port survive.
public enum URLRedaction {
    /// What an unparsable URL is logged as.
    public static let unparsable = "<unparsable url>"

    /// `https://user:pw@hooks.slack.com:443/services/T/B/x?y#z` becomes `https://hooks.slack.com:443/…`.
    ///
    /// A URL with nothing after the authority (or just `/`) ends in `/`; anything that does not look like
    /// `scheme://authority` gives ``unparsable`` rather than risk echoing a secret.
    public static func redact(_ url: String) -> String {
        guard let separator = url.firstRange(of: "://") else { return self.unparsable }
        let scheme = url[..<separator.lowerBound]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { return self.unparsable }
        let rest = url[separator.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        guard !authority.isEmpty else { return self.unparsable }
        let remainder = rest[authorityEnd...]
        let suffix = remainder.isEmpty || remainder == "/" ? "/" : "/…"
        return "\(scheme.lowercased())://\(authority)\(suffix)"
    }

    /// The lower-cased scheme, or `nil` if the URL has none.
    static func scheme(of url: String) -> String? {
        guard let separator = url.firstRange(of: "://") else { return nil }
        return url[..<separator.lowerBound].lowercased()
    }

    /// Removes the URL, and its path-and-query part, from a libcurl message that might quote them.
    static func scrub(_ message: String, url: String) -> String {
        var text = message
        if !url.isEmpty { text = text.replacing(url, with: self.redact(url)) }
        if let separator = url.firstRange(of: "://"),
            let pathStart = url[separator.upperBound...].firstIndex(where: { $0 == "/" || $0 == "?" }),
            url.distance(from: pathStart, to: url.endIndex) > 1
        {
            text = text.replacing(String(url[pathStart...]), with: "/…")
        }
        return text
    }
}
