import Glibc

/// The process's arguments and environment, read once in `main` and handed to ``ConfigReader``.
public enum ProcessEnvironment {
    /// The command-line arguments without the program name.
    public static var arguments: [String] { Array(CommandLine.arguments.dropFirst()) }

    /// A snapshot of the environment variables (Foundation-free, from `environ`).
    public static func current() -> [String: String] {
        var result: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let pair = String(cString: entry)
            if let equals = pair.firstIndex(of: "=") {
                result[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            cursor += 1
        }
        return result
    }

    /// Writes text to standard error (used before logging is bootstrapped, for configuration errors).
    public static func printError(_ text: String) {
        LogSink.standardError.write(Array((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}
