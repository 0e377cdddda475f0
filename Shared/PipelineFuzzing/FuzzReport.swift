/// What one fuzz run of one target found.
public struct FuzzReport: Sendable, Codable, Equatable {
    /// An input that broke a contract (or was the slowest), hex-encoded (the first 512 bytes), with what broke.
    public struct Sample: Sendable, Codable, Equatable {
        public var inputHex: String
        public var inputBytes: Int
        public var message: String
    }

    public var target: String
    public var seed: UInt64
    public var executions = 0
    public var accepted = 0
    public var rejected = 0
    /// Contract failures that did not crash (round trips, empty error descriptions); must be 0.
    public var failures = 0
    /// Runs that crashed the process: a report only exists for a run that finished, so this is always 0 here;
    /// a crash ends the process with the input (see `tributary fuzz`).
    public var crashes = 0
    /// Rejections by kind (error type and reason code).
    public var errorKinds: [String: Int] = [:]
    /// Seeds that were not accepted (each should be: a rejected seed means the fuzzer starts shallow).
    public var rejectedSeeds: [Sample] = []
    /// The first few failures.
    public var failureSamples: [Sample] = []
    /// The slowest single input, a hang guard that never fails a run (no timed assertions).
    public var slowestMicros: Double = 0
    public var slowestInput: Sample?
    public var elapsedSeconds: Double = 0

    public var distinctErrorKinds: Int { errorKinds.count }

    init(target: String, seed: UInt64) {
        self.target = target
        self.seed = seed
    }

    static func sample(_ input: [UInt8], _ message: String) -> Sample {
        let hexDigits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for byte in input.prefix(512) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 15)])
        }
        return Sample(inputHex: String(decoding: hex, as: UTF8.self), inputBytes: input.count, message: message)
    }
}
