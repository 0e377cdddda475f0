#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The well-known file where `tributary broker` publishes its address, read by every command that is not
/// given `--bootstrap` / `KAFKA_BOOTSTRAP_SERVERS`.
///
/// It lives in `$TRIBUTARY_STATE_DIR`, else `$HOME/.tributary`. It records the broker's pid so a file left
/// behind by a killed broker is recognised as stale instead of sending clients to a dead port.
public struct LocalBrokerAddress: Sendable, Equatable {
    public var bootstrapServers: String
    /// `host:port` of the broker's control API (topics, fault injection).
    public var controlAddress: String
    public var pid: Int32

    public init(bootstrapServers: String, controlAddress: String, pid: Int32) {
        self.bootstrapServers = bootstrapServers
        self.controlAddress = controlAddress
        self.pid = pid
    }

    public static func stateDirectory(environment: [String: String]) -> String {
        if let directory = environment["TRIBUTARY_STATE_DIR"], !directory.isEmpty { return directory }
        return (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp") + "/.tributary"
    }

    public static func filePath(environment: [String: String]) -> String {
        stateDirectory(environment: environment) + "/broker"
    }

    /// Writes the file atomically (temporary file, then rename).
    public func write(environment: [String: String]) throws(KafkaError) {
        let directory = Self.stateDirectory(environment: environment)
        mkdir(directory, 0o755)
        let path = Self.filePath(environment: environment)
        let temporary = path + ".\(getpid()).tmp"
        let text = "bootstrap=\(bootstrapServers)\ncontrol=\(controlAddress)\npid=\(pid)\n"
        guard let file = fopen(temporary, "w") else {
            throw KafkaError(kind: .configuration, message: "cannot write \(temporary): errno \(errno)")
        }
        fputs(text, file)
        fclose(file)
        guard rename(temporary, path) == 0 else {
            throw KafkaError(kind: .configuration, message: "cannot rename \(temporary) to \(path): errno \(errno)")
        }
    }

    /// Reads the file; `nil` when there is none or its broker is no longer running.
    public static func read(environment: [String: String]) -> LocalBrokerAddress? {
        guard let file = fopen(filePath(environment: environment), "r") else { return nil }
        defer { fclose(file) }
        var values: [String: String] = [:]
        var line = [CChar](repeating: 0, count: 1024)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if let separator = text.firstIndex(of: "=") {
                values[String(text[..<separator])] = String(text[text.index(after: separator)...])
            }
        }
        guard let bootstrap = values["bootstrap"], let pidText = values["pid"], let pid = Int32(pidText) else {
            return nil
        }
        guard kill(pid, 0) == 0 || errno == EPERM else { return nil }
        return LocalBrokerAddress(bootstrapServers: bootstrap, controlAddress: values["control"] ?? "", pid: pid)
    }

    /// Removes the file if it still names this broker.
    public func remove(environment: [String: String]) {
        if Self.read(environment: environment)?.pid == pid {
            unlink(Self.filePath(environment: environment))
        }
    }
}

extension KafkaClientConfiguration {
    /// Picks the bootstrap servers: an explicit value, else the running local broker's address.
    /// - Throws: `.configuration` with advice when neither exists.
    public static func resolveBootstrap(explicit: String?, environment: [String: String]) throws(KafkaError) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let local = LocalBrokerAddress.read(environment: environment) { return local.bootstrapServers }
        throw KafkaError(
            kind: .configuration,
            message: "no Kafka cluster: pass --bootstrap or KAFKA_BOOTSTRAP_SERVERS, or start the local broker "
                + "with `tributary broker` (it publishes its address in \(LocalBrokerAddress.filePath(environment: environment)))")
    }
}
