import Testing

@testable import PipelineRuntime

@Suite("ConfigReader: values, precedence and errors")
struct ConfigReaderTests {
    private func reader(_ arguments: [String], _ environment: [String: String] = [:]) -> ConfigReader {
        ConfigReader(arguments: arguments, environment: environment, command: "svc")
    }

    @Test("flag beats environment beats default")
    func precedence() throws {
        let environment = ["RATE": "20", "GROUP": "from-env"]
        let both = self.reader(["--rate", "30"], environment)
        #expect(both.int("rate", env: "RATE", default: 10, help: "r") == 30)
        let envOnly = self.reader([], environment)
        #expect(envOnly.int("rate", env: "RATE", default: 10, help: "r") == 20)
        let neither = self.reader([], [:])
        #expect(neither.int("rate", env: "RATE", default: 10, help: "r") == 10)
        #expect(try both.finish() == .proceed)
        #expect(both.resolvedOptions.first?.source == .flag)
        #expect(envOnly.resolvedOptions.first?.source == .environment("RATE"))
        #expect(neither.resolvedOptions.first?.source == .defaultValue)
    }

    @Test("--name=value and --name value both work; the last occurrence wins")
    func flagForms() throws {
        let reader = self.reader(["--host=a", "--port", "8080", "--name", "x", "--name=y"])
        #expect(reader.string("host", default: "h", help: "h") == "a")
        #expect(reader.int("port", default: 1, help: "p") == 8080)
        #expect(reader.string("name", default: "n", help: "n") == "y")
        #expect(try reader.finish() == .proceed)
    }

    @Test("a value may itself contain '=' and negative numbers are values, not flags")
    func trickyValues() throws {
        let reader = self.reader(["--filter=a=b", "--offset", "-5"])
        #expect(reader.string("filter", default: "", help: "f") == "a=b")
        #expect(reader.int("offset", default: 0, help: "o") == -5)
        #expect(try reader.finish() == .proceed)
    }

    @Test("empty environment variables count as unset")
    func emptyEnvironment() throws {
        let reader = self.reader([], ["METRICS_PORT": ""])
        #expect(reader.int("metrics-port", env: "METRICS_PORT", default: 9100, help: "p") == 9100)
        #expect(try reader.finish() == .proceed)
    }

    @Test("switches: bare, =false, --no-, and environment spellings")
    func switches() throws {
        let reader = self.reader(["--expect", "--json=false", "--no-color"], ["VERBOSE": "1", "QUIET": "off"])
        #expect(reader.bool("expect", help: "e") == true)
        #expect(reader.bool("json", default: true, help: "j") == false)
        #expect(reader.bool("color", default: true, help: "c") == false)
        #expect(reader.bool("verbose", env: "VERBOSE", help: "v") == true)
        #expect(reader.bool("quiet", env: "QUIET", default: true, help: "q") == false)
        #expect(reader.bool("absent", help: "a") == false)
        #expect(try reader.finish() == .proceed)
    }

    @Test("durations from flags, environment and plain numbers in the stated unit")
    func durations() throws {
        let reader = self.reader(["--poll", "250ms", "--retry=1m30s", "--linger", "5"], ["TIMEOUT": "2h"])
        #expect(reader.duration("poll", default: .seconds(1), help: "p") == .milliseconds(250))
        #expect(reader.duration("retry", default: .seconds(1), help: "r") == .seconds(90))
        #expect(reader.duration("linger", default: .zero, help: "l", plainUnit: .milliseconds) == .milliseconds(5))
        #expect(reader.duration("timeout", env: "TIMEOUT", default: .seconds(1), help: "t") == .seconds(7200))
        #expect(reader.duration("grace", default: .seconds(25), help: "g") == .seconds(25))
        #expect(try reader.finish() == .proceed)
        #expect(reader.describe().contains("--retry=90s (flag)"))
    }

    @Test("a bad environment value names flag, variable and value")
    func badEnvironmentValue() {
        let reader = self.reader([], ["RATE": "abc"])
        #expect(reader.double("rate", env: "RATE", default: 1, help: "r") == 1)
        let error = #expect(throws: ConfigurationError.self) { try reader.finish() }
        #expect(error?.kind == .invalidValue)
        #expect(error?.message == #"--rate: "abc" is not a number (from RATE)"#)
    }

    @Test("a bad flag value still mentions the environment variable")
    func badFlagValue() {
        let reader = self.reader(["--poll=soon"])
        _ = reader.duration("poll", env: "POLL_INTERVAL", default: .seconds(1), help: "p")
        let error = #expect(throws: ConfigurationError.self) { try reader.finish() }
        #expect(error?.message.contains(#"--poll: "soon" is not a duration"#) == true)
        #expect(error?.message.contains("POLL_INTERVAL") == true)
    }

    @Test("ranges and enumerations explain what is allowed")
    func rangesAndEnumerations() {
        let reader = self.reader(["--metrics-port", "70000", "--log-format", "xml"])
        _ = reader.int("metrics-port", env: "METRICS_PORT", default: 9100, help: "p", range: 0...65535)
        _ = reader.enumeration("log-format", env: "LOG_FORMAT", default: LogFormat.text, help: "f")
        let error = #expect(throws: ConfigurationError.self) { try reader.finish() }
        #expect(error?.message.contains(#"--metrics-port: "70000" is not in 0...65535"#) == true)
        #expect(error?.message.contains(#"--log-format: "xml" is not one of text, json"#) == true)
    }

    @Test("enumerations match case-insensitively")
    func enumerationCase() throws {
        let reader = self.reader([], ["LOG_FORMAT": "JSON"])
        #expect(reader.enumeration("log-format", env: "LOG_FORMAT", default: LogFormat.text, help: "f") == .json)
        #expect(try reader.finish() == .proceed)
    }

    @Test("a secret's bad value is not echoed")
    func secretValueNotEchoed() {
        let secret = ConfigReader(arguments: ["--token-count=s3cr3t"], environment: [:])
        _ = secret.resolve(
            OptionSpec(name: "token-count", help: "t", isSecret: true), default: 1, render: String.init,
            parse: { ConfigReader.parseInt($0, nil) })
        let error = #expect(throws: ConfigurationError.self) { try secret.finish() }
        #expect(error?.message.contains("s3cr3t") == false)
        #expect(error?.message.contains("<redacted>") == true)
    }

    @Test("unknown flags are rejected with a suggestion")
    func unknownFlag() {
        let reader = self.reader(["--bootstrp", "x:1"])
        _ = reader.string("bootstrap", env: "KAFKA_BOOTSTRAP_SERVERS", default: "localhost:9092", help: "b")
        let error = #expect(throws: ConfigurationError.self) { try reader.finish() }
        #expect(error?.kind == .unknownOption)
        #expect(error?.message.contains("unknown option --bootstrp (did you mean --bootstrap?)") == true)
    }

    @Test("missing required values and missing flag values are reported")
    func missingValues() {
        let reader = self.reader(["--group"])
        _ = reader.requiredString("bootstrap", env: "KAFKA_BOOTSTRAP_SERVERS", help: "b")
        _ = reader.string("group", default: "g", help: "g")
        let error = #expect(throws: ConfigurationError.self) { try reader.finish() }
        #expect(error?.message.contains("--bootstrap is required (or set KAFKA_BOOTSTRAP_SERVERS)") == true)
        #expect(error?.message.contains("--group: missing value") == true)
    }

    @Test("a stray word after a switch gets a hint")
    func strayWordAfterSwitch() {
        let reader = self.reader(["--json", "false"])
        _ = reader.bool("json", help: "j")
        let error = #expect(throws: ConfigurationError.self) { try reader.finish() }
        #expect(error?.kind == .unexpectedArgument)
        #expect(error?.message.contains("write --json=false") == true)
    }

    @Test("--help wins over bad values")
    func helpDespiteErrors() throws {
        let reader = self.reader(["--rate", "abc", "--help", "--nonsense"])
        _ = reader.double("rate", env: "RATE", default: 1, help: "Events per second.")
        guard case .help(let text) = try reader.finish() else {
            Issue.record("expected help")
            return
        }
        #expect(text.contains("--rate <number>"))
    }

    @Test("positionals after flags, including after --")
    func positionals() throws {
        let reader = self.reader(["--limit", "10", "Account", "--", "--odd-id"])
        #expect(reader.int("limit", default: 1, help: "l") == 10)
        #expect(reader.requiredPositional("object", help: "o") == "Account")
        #expect(reader.positionals("ids", help: "i") == ["--odd-id"])
        #expect(try reader.finish() == .proceed)
    }

    @Test("reading positionals before their flags is reported as a declaration error")
    func positionalsReadTooEarly() {
        let reader = self.reader(["--limit", "10", "Account"])
        _ = reader.positional("object", help: "o")
        _ = reader.int("limit", default: 1, help: "l")
        let error = #expect(throws: ConfigurationError.self) { try reader.finish() }
        #expect(error?.kind == .invalidDeclaration)
    }

    @Test("unexpected positionals and duplicate declarations are errors")
    func unexpectedArgumentAndDuplicate() {
        let reader = self.reader(["extra"])
        _ = reader.string("a", default: "", help: "a")
        _ = reader.string("a", default: "", help: "again")
        let error = #expect(throws: ConfigurationError.self) { try reader.finish() }
        #expect(error?.message.contains("option --a is declared twice") == true)
        #expect(error?.message.contains(#"unexpected argument "extra""#) == true)
    }
}
