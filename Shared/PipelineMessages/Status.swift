internal import CPipelineProto

/// A service instance's heartbeat or job progress; topic `pipeline.status`, keyed by
/// `{service}#{instance}`, so the latest message per key is the instance's current state.
public struct Status: PipelineMessage {
    /// Service name, e.g. `"transformer"`.
    public var service: String
    /// Unique within the service, e.g. a pod name.
    public var instance: String
    /// When the report was made, epoch milliseconds.
    public var timeMs: Int64
    public var kind: Kind
    /// Lifecycle state, e.g. `"running"`, `"backpressure"`, `"stopping"`.
    public var state: String
    /// Monotonic counters since start, e.g. `"events_in"`.
    public var counters: [String: Int64]
    /// Event-time or source-time watermarks, epoch milliseconds, e.g. `"salesforce.Account"`.
    public var watermarks: [String: Int64]
    /// Set for `.progress` reports.
    public var job: JobProgress?
    /// Build version of the service.
    public var version: String
    /// When the instance started, epoch milliseconds.
    public var startedTimeMs: Int64

    public init(
        service: String = "", instance: String = "", timeMs: Int64 = 0, kind: Kind = .unspecified,
        state: String = "", counters: [String: Int64] = [:], watermarks: [String: Int64] = [:],
        job: JobProgress? = nil, version: String = "", startedTimeMs: Int64 = 0
    ) {
        self.service = service
        self.instance = instance
        self.timeMs = timeMs
        self.kind = kind
        self.state = state
        self.counters = counters
        self.watermarks = watermarks
        self.job = job
        self.version = version
        self.startedTimeMs = startedTimeMs
    }

    public enum Kind: Int32, Sendable, Hashable, CaseIterable {
        case unspecified = 0
        case heartbeat = 1
        case progress = 2
    }

    /// How far a job, such as a batch extract, has got.
    public struct JobProgress: Sendable, Hashable {
        /// e.g. a ``BatchRequest/requestID``.
        public var jobID: String
        public var done: Int64
        /// 0 while not known.
        public var total: Int64

        public init(jobID: String, done: Int64, total: Int64) {
            self.jobID = jobID
            self.done = done
            self.total = total
        }
    }

    public init(decoding bytes: UnsafeRawBufferPointer) throws(MessageDecodingError) {
        self = try Self.decodeProtobufC(bytes)
    }

    public func encode() -> [UInt8] { encodeProtobufC() }
}

extension Status.Kind: ProtobufCEnum {}

extension Status: ProtobufCConvertible {
    static var cInitializer: (UnsafeMutablePointer<Tributary__V1__Status>?) -> Void { tributary__v1__status__init }

    init(cMessage c: Tributary__V1__Status) throws(MessageDecodingError) {
        service = String(protobufC: c.service)
        instance = String(protobufC: c.instance)
        timeMs = c.time_ms
        kind = try Kind(cValue: c.kind, field: "kind")
        state = String(protobufC: c.state)
        counters = Dictionary(cCount: c.n_counters, c.counters) { ($0.key, $0.value) }
        watermarks = Dictionary(cCount: c.n_watermarks, c.watermarks) { ($0.key, $0.value) }
        job = try JobProgress(cPointer: c.job)
        version = String(protobufC: c.version)
        startedTimeMs = c.started_time_ms
    }

    func fill(_ c: inout Tributary__V1__Status, in arena: EncodingArena) {
        c.service = arena.string(service)
        c.instance = arena.string(instance)
        c.time_ms = timeMs
        c.kind = kind.cValue()
        c.state = arena.string(state)
        (c.n_counters, c.counters) = arena.map(counters, initializer: tributary__v1__status__counters_entry__init) {
            entry, key, value in
            entry.key = key
            entry.value = value
        }
        (c.n_watermarks, c.watermarks) = arena.map(
            watermarks, initializer: tributary__v1__status__watermarks_entry__init
        ) { entry, key, value in
            entry.key = key
            entry.value = value
        }
        c.job = job.map(arena.message)
        c.version = arena.string(version)
        c.started_time_ms = startedTimeMs
    }
}

extension Status.JobProgress: ProtobufCConvertible {
    static var cInitializer: (UnsafeMutablePointer<Tributary__V1__Status__JobProgress>?) -> Void {
        tributary__v1__status__job_progress__init
    }

    init(cMessage c: Tributary__V1__Status__JobProgress) {
        jobID = String(protobufC: c.job_id)
        done = c.done
        total = c.total
    }

    func fill(_ c: inout Tributary__V1__Status__JobProgress, in arena: EncodingArena) {
        c.job_id = arena.string(jobID)
        c.done = done
        c.total = total
    }
}
