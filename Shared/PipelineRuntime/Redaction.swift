/// Decides which configuration values are credentials, so they never reach logs or error messages.
public enum Redaction {
    /// What a secret value is printed as.
    public static let placeholder = "<redacted>"

    /// Words that mark a key as holding a credential wherever they appear.
    private static let secretWords = ["password", "passwd", "secret", "token", "credential", "sasl.jaas", "apikey"]

    /// Whether a pass-through key such as `ssl.key.password` or `sasl.password` names a credential.
    ///
    /// Besides the obvious words, key *material* counts (`ssl.key.pem`, `api.key`, `private_key`), while a key's
    /// location or algorithm (`ssl.key.location`) does not: paths and names are useful in the start-up print.
    public static func isSecretKey(_ key: String) -> Bool {
        let lowered = key.lowercased()
        if self.secretWords.contains(where: { lowered.contains($0) }) { return true }
        let parts = lowered.split(whereSeparator: { $0 == "." || $0 == "_" || $0 == "-" })
        guard let keyIndex = parts.firstIndex(where: { $0 == "key" || $0 == "keys" }) else { return false }
        let after = parts[(keyIndex + 1)...]
        // `api.key` (key is last) or `ssl.key.pem` (the key itself follows) are material; anything else is metadata.
        return after.isEmpty || after.allSatisfy { $0 == "pem" || $0 == "der" || $0 == "data" || $0 == "value" }
    }
}
