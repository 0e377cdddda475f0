/// The org's API usage as `Sforce-Limit-Info` reports it on every response: `api-usage=10018/100000`
/// (other entries such as `per-app-api-usage=17/250(appName=x)` may follow and are ignored).
public struct APIUsage: Sendable, Equatable {
    public var used: Int
    public var maximum: Int

    public init(used: Int, maximum: Int) {
        self.used = used
        self.maximum = maximum
    }

    /// Reads the header's value; nil when it has no well-formed `api-usage` entry.
    public init?(header: String) {
        for entry in header.split(separator: ",") {
            let trimmed = entry.drop { $0 == " " }
            guard trimmed.hasPrefix("api-usage=") else { continue }
            let pair = trimmed.dropFirst("api-usage=".count).split(separator: "/")
            guard pair.count == 2, let used = Int(Self.trimmed(pair[0])), let maximum = Int(Self.trimmed(pair[1])),
                used >= 0, maximum > 0
            else { return nil }
            self.init(used: used, maximum: maximum)
            return
        }
        return nil
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
