/// Facts about this build, shown by every executable's `--version`, in `tributary_build_info` and the start-up log.
public enum BuildInfo {
    /// The suite's version. Bump with releases; every executable reports the same one, and the image tag
    /// (docs/deploy.md) carries it too.
    public static let version = "0.1.0"

    /// The `--version` line of a program: `transformer 0.1.0`.
    /// - Parameter program: The command; only its first word (the executable) is printed.
    public static func versionLine(program: String) -> String {
        let executable = program.split(separator: " ").first.map(String.init) ?? program
        return "\(executable) \(self.version)\n"
    }
}
