/// The transformer's hot path: payload bytes → UTF-8 check → strict JSON index → type cleaning → clock-skew
/// correction (``ClockSkew``) → quality rules → duplicate check → `CleanEvent` wire bytes, or a rejection with the
/// contract's reason code.
///
/// One per partition (or consumer thread): it owns reusable working memory and the partition's
/// ``EventIDWindow`` and ``QualityStats``, takes no locks and allocates only the output array per clean
/// event (plus strings for a rejection's detail).
///
/// ```swift
/// let transformer = EventTransformer(rules: try QualityRules.load(path: "config/quality-rules.json"))
/// switch transformer.transform(payload: bytes, source: raw.source, receivedTimeMs: raw.receivedTimeMs,
///                              processedTimeMs: now) {
/// case .clean(let event): produce(event.bytes)
/// case .rejected(let r): deadLetter(reason: r.reason, detail: r.detail)
/// }
/// ```
public final class EventTransformer {
    public struct Configuration: Sendable {
        /// Written to `pipeline_version`.
        public var pipelineVersion: String
        /// Larger payloads are `invalid_json` (default 1 MiB, Kafka's default `message.max.bytes`).
        public var maximumPayloadBytes: Int
        /// Deeper nesting is `invalid_json` (default 64; the top-level object is depth 1).
        public var maximumDepth: Int
        /// Overrides the `unique` rule's window size when set.
        public var windowCapacity: Int?
        /// ``QualityStats`` buckets: width (default one minute) and how many (default 5).
        public var statsBucketMs: Int64
        public var statsBucketCount: Int

        public init(
            pipelineVersion: String = "1.0.0", maximumPayloadBytes: Int = 1 << 20, maximumDepth: Int = 64,
            windowCapacity: Int? = nil, statsBucketMs: Int64 = 60_000, statsBucketCount: Int = 5
        ) {
            self.pipelineVersion = pipelineVersion
            self.maximumPayloadBytes = maximumPayloadBytes
            self.maximumDepth = maximumDepth
            self.windowCapacity = windowCapacity
            self.statsBucketMs = statsBucketMs
            self.statsBucketCount = statsBucketCount
        }
    }

    public let rules: QualityRules
    public let configuration: Configuration
    /// The `events.raw` partition this transformer's records come from, written with each record's offset as the
    /// CleanEvent's lineage (`raw_partition`, `raw_offset`).
    public let sourcePartition: Int32
    /// Recent accepted event ids (for the `unique` rule).
    public let window: EventIDWindow
    /// Per-check counts for alerting, keyed by `processedTimeMs`.
    @exclusivity(unchecked)
    public private(set) var stats: QualityStats

    // MARK: Compiled rules
    let compiled: [CompiledRule]
    let values: ValueTable
    let patterns: [BytePattern]
    let uniqueRule: Int?
    let versionBytes: [UInt8]

    // MARK: Per-event working memory, reused
    // `@exclusivity(unchecked)`: only this instance's own methods touch these, one call at a time (the type is
    // not Sendable), so the runtime's dynamic exclusivity bookkeeping on each access would only cost time.
    let slots: UnsafeMutablePointer<ValueSlot>
    let typed: UnsafeMutablePointer<TypedValue>
    let outcomes: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked)
    var scratch: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked)
    var scratchCapacity: Int
    /// Scratch bytes holding this event's unescaped strings; encoding appends after them.
    @exclusivity(unchecked)
    var scratchUsed = 0
    @exclusivity(unchecked)
    var unknowns: [UnknownMember] = []
    @exclusivity(unchecked)
    var failedRules: [Int] = []
    @exclusivity(unchecked)
    var attributes: [Attribute] = []
    /// The event id's hash from the `unique` rule's lookup, reused to insert it.
    @exclusivity(unchecked)
    var uniqueHash: UInt64 = 0
    /// The remembered id's ring slot when the `unique` rule found it at the same or a later position, else -1.
    @exclusivity(unchecked)
    var uniqueSlot = -1
    /// The position of the record being checked, and the highest seen (for callers that give none).
    @exclusivity(unchecked)
    var currentPosition: Int64 = 0
    @exclusivity(unchecked)
    var lastPosition: Int64 = -1
    /// Whether the caller gave the current record's position (then it is written as the lineage `raw_offset`).
    @exclusivity(unchecked)
    var positionGiven = false
    /// The current payload's size, bounding the encoder's output.
    @exclusivity(unchecked)
    var payloadCount = 0
    /// The current record's receive time (`RawEvent.received_time_ms`), for the `received_within` rules.
    @exclusivity(unchecked)
    var receivedTimeMs: Int64 = 0
    /// The device's own `timestamp` when the event time was corrected for its clock's skew, else `nil`.
    @exclusivity(unchecked)
    var deviceTimeMs: Int64?
    /// Where the encoder writes before copying the message into its own array.
    @exclusivity(unchecked)
    var output: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked)
    var outputCapacity: Int

    /// - Parameters:
    ///   - rules: the compiled rules file.
    ///   - configuration: limits, version and stats settings.
    ///   - window: the partition's id window; by default a new one sized by the `unique` rule.
    ///   - sourcePartition: the partition written as `raw_partition` (with the record's position as `raw_offset`
    ///     when the caller gives positions).
    public init(
        rules: QualityRules, configuration: Configuration = Configuration(), window: EventIDWindow? = nil,
        sourcePartition: Int32 = 0
    ) {
        self.rules = rules
        self.configuration = configuration
        self.sourcePartition = sourcePartition
        self.window =
            window ?? EventIDWindow(capacity: configuration.windowCapacity ?? rules.uniqueWindow ?? 100_000)
        stats = QualityStats(
            rules: rules, bucketMs: configuration.statsBucketMs, bucketCount: configuration.statsBucketCount)
        let (compiled, values, patterns) = CompiledRule.compile(rules)
        self.compiled = compiled
        self.values = ValueTable(values)
        self.patterns = patterns
        uniqueRule = compiled.firstIndex { $0.kind == .unique }
        versionBytes = Array(configuration.pipelineVersion.utf8)
        slots = .allocate(capacity: EventField.count)
        slots.initialize(repeating: .absent, count: EventField.count)
        typed = .allocate(capacity: EventField.count)
        typed.initialize(repeating: .unchecked, count: EventField.count)
        outcomes = .allocate(capacity: max(1, compiled.count))
        outcomes.initialize(repeating: 0, count: max(1, compiled.count))
        scratchCapacity = 16 << 10
        scratch = .allocate(capacity: scratchCapacity)
        outputCapacity = 16 << 10
        output = .allocate(capacity: outputCapacity)
    }

    deinit {
        slots.deallocate()
        typed.deallocate()
        outcomes.deallocate()
        scratch.deallocate()
        output.deallocate()
    }

    // MARK: - Entry points

    /// Transforms one `events.raw` payload.
    ///
    /// - Parameters:
    ///   - payload: the JSON bytes (`RawEvent.payload`), borrowed for the call.
    ///   - source: `RawEvent.source`, copied to `source`.
    ///   - receivedTimeMs: `RawEvent.received_time_ms`, copied to `ingest_time_ms`: the reference for the
    ///     clock-skew correction and the `received_within` rules (0: unknown, neither applies).
    ///   - processedTimeMs: now, for `processed_time_ms` and the stats window.
    ///   - position: the record's offset in its partition; `nil` numbers calls in order. A record seen again at
    ///     the same position (a Kafka redelivery) is never its own duplicate.
    public func transform(
        payload: UnsafeRawBufferPointer, source: String, receivedTimeMs: Int64, processedTimeMs: Int64,
        position: Int64? = nil
    ) -> TransformOutcome {
        positionGiven = position != nil
        let checked = check(payload, position: position ?? nextPosition(), receivedTimeMs: receivedTimeMs)
        stats.record(rawOutcomes: UnsafeBufferPointer(start: outcomes, count: compiled.count), atMs: processedTimeMs)
        if let rejection = checked { return .rejected(rejection) }
        let verdictAndBytes = encode(source: source, receivedTimeMs: receivedTimeMs, processedTimeMs: processedTimeMs)
        return .clean(verdictAndBytes)
    }

    /// Transforms `payload` held in an array (tests and tools).
    public func transform(
        payload: [UInt8], source: String, receivedTimeMs: Int64, processedTimeMs: Int64, position: Int64? = nil
    ) -> TransformOutcome {
        payload.withUnsafeBytes {
            transform(
                payload: $0, source: source, receivedTimeMs: receivedTimeMs, processedTimeMs: processedTimeMs,
                position: position)
        }
    }

    /// Runs every check on `payload` and, when it would be accepted, remembers its event id: rebuilding the
    /// window on partition assignment from recent `events.raw` records, without producing output or stats.
    ///
    /// - Parameter receivedTimeMs: the record's `RawEvent.received_time_ms`, so the time rules decide as they did.
    /// - Returns: whether the event would be accepted.
    @discardableResult
    public func observe(payload: UnsafeRawBufferPointer, receivedTimeMs: Int64 = 0, position: Int64? = nil) -> Bool {
        check(payload, position: position ?? nextPosition(), receivedTimeMs: receivedTimeMs) == nil
    }

    @discardableResult
    public func observe(payload: [UInt8], receivedTimeMs: Int64 = 0, position: Int64? = nil) -> Bool {
        payload.withUnsafeBytes { observe(payload: $0, receivedTimeMs: receivedTimeMs, position: position) }
    }

    /// Positions for callers that give none: one more than the last seen, so calls in order behave as a log.
    private func nextPosition() -> Int64 {
        lastPosition &+= 1
        return lastPosition
    }

    // MARK: - Checks

    /// Checks 1–6; on acceptance the event id is in the window and `slots`/`typed` describe the event.
    private func check(_ payload: UnsafeRawBufferPointer, position: Int64, receivedTimeMs: Int64) -> Rejection? {
        currentPosition = position
        self.receivedTimeMs = receivedTimeMs
        deviceTimeMs = nil
        lastPosition = max(lastPosition, position)
        uniqueSlot = -1
        outcomes.update(repeating: 0, count: compiled.count)
        failedRules.removeAll(keepingCapacity: true)
        guard let base = payload.baseAddress, payload.count > 0 else {
            return Rejection(reason: "invalid_json", detail: "empty payload", check: "json")
        }
        if payload.count > configuration.maximumPayloadBytes {
            if let offset = UTF8Validation.firstInvalidOffset(payload) { return Self.invalidUTF8(offset) }
            return Self.invalidJSON(JSONSyntaxError(.tooLarge(configuration.maximumPayloadBytes), at: 0))
        }
        let needed = payload.count * 8 + 256
        if needed > scratchCapacity {
            scratch.deallocate()
            scratchCapacity = max(needed, scratchCapacity * 2)
            scratch = .allocate(capacity: scratchCapacity)
        }
        payloadCount = payload.count
        slots.update(repeating: .absent, count: EventField.count)
        unknowns.removeAll(keepingCapacity: true)
        var indexer = EventIndexer(
            scanner: JSONScanner(start: base, count: payload.count, maxDepth: configuration.maximumDepth),
            slots: slots, scratch: ScratchBuffer(base: scratch))
        do {
            try indexer.index(unknowns: &unknowns)
        } catch {
            if error.kind == .invalidUTF8 { return Self.invalidUTF8(error.offset) }
            if let offset = UTF8Validation.firstInvalidOffset(payload) { return Self.invalidUTF8(offset) }
            return Self.invalidJSON(error)
        }
        var scratchBuffer = indexer.scratch
        for f in 0..<EventField.count {
            let slot = slots[f]
            if slot.isPresent {
                TypedValue.fill(&typed[f], slot, as: EventField(rawValue: f)!, scratch: &scratchBuffer)
            } else {
                // Absent fields: only the flags are read (by conditions, the verdict and the encoder).
                typed[f].ok = false
                typed[f].cleaned = false
                typed[f].needsLowercase = false
            }
        }
        defer { scratchUsed = scratchBuffer.used }
        correctClockSkew()
        if let failed = evaluateRules(scratch: &scratchBuffer) { return rejection(rule: failed) }
        if let uniqueRule, outcomes[uniqueRule] == QualityStats.Outcome.passed.rawValue {
            if uniqueSlot >= 0 {
                window.lower(slot: uniqueSlot, to: position)  // seen again at or before its first acceptance
            } else {
                window.insert(absent: typed[compiled[uniqueRule].field].textBuffer, hash: uniqueHash, position: position)
            }
        }
        return nil
    }

    /// Runs the rules in order, recording outcomes; returns the first failing blocking rule.
    ///
    /// Rules are read through a pointer, field by field: copying each (large) rule struct showed in profiles.
    @inline(__always)
    private func evaluateRules(scratch: inout ScratchBuffer) -> Int? {
        compiled.withUnsafeBufferPointer { buffer in
            let rules = buffer.baseAddress!
            for i in 0..<buffer.count {
                let r = rules + i
                let parent = r.pointee.parent
                if parent >= 0, slots[parent].kind != .object { continue }
                if r.pointee.conditionField >= 0, !holds(r) { continue }
                let field = r.pointee.field
                let present = slots[field].isPresent
                let kind = r.pointee.kind
                let failed: Bool
                if kind == .notNull {
                    failed = !present
                } else {
                    guard present else { continue }
                    let t = typed + field
                    if kind == .type {
                        failed = !t.pointee.ok
                    } else {
                        guard t.pointee.ok else { continue }
                        switch kind {
                        case .between: failed = !r.pointee.contains(t.pointee.number)
                        case .inSet: failed = !inSet(t, r.pointee.setStart, r.pointee.setEnd)
                        case .regex: failed = !matches(t.pointee, patterns[r.pointee.pattern], &scratch)
                        case .receivedWithin:
                            guard ClockSkew.isKnown(receivedMs: receivedTimeMs) else { continue }
                            failed = !r.pointee.isNear(t.pointee.integer, receivedMs: receivedTimeMs)
                        default:
                            let (seenAt, slot, hash) = window.lookup(t.pointee.textBuffer)
                            // A duplicate repeats an id accepted at an earlier position; the same position is
                            // this very record delivered again.
                            failed = seenAt.map { $0 < currentPosition } ?? false
                            uniqueSlot = failed ? -1 : slot
                            uniqueHash = hash
                        }
                    }
                }
                outcomes[i] = failed ? 2 : 1
                if failed {
                    if r.pointee.block { return i }
                    failedRules.append(i)
                }
            }
            return nil
        }
    }

    /// Puts the event on the collector's clock when the payload has a send time and the receive time is known:
    /// `timestamp` becomes `received − (sentAt − timestamp)` (``ClockSkew``) before any rule reads it, so the
    /// rules and the output see the corrected time; the device's own is kept for `device_time_ms`.
    @inline(__always)
    private func correctClockSkew() {
        let time = typed + EventField.timestamp.rawValue
        let sent = typed + EventField.sentAt.rawValue
        // Absent fields have `ok == false` (see `check`), so no slot test is needed.
        guard time.pointee.ok, sent.pointee.ok, ClockSkew.isKnown(receivedMs: receivedTimeMs) else { return }
        let device = time.pointee.integer
        let corrected = ClockSkew.correctedTimeMs(
            deviceMs: device, sentMs: sent.pointee.integer, receivedMs: receivedTimeMs)
        time.pointee.integer = corrected
        time.pointee.number = Double(corrected)
        deviceTimeMs = device
    }

    @inline(__always)
    private func holds(_ r: UnsafePointer<CompiledRule>) -> Bool {
        let field = r.pointee.conditionField
        let t = typed + field
        return slots[field].isPresent && t.pointee.ok && inSet(t, r.pointee.conditionStart, r.pointee.conditionEnd)
    }

    @inline(__always)
    private func inSet(_ t: UnsafeMutablePointer<TypedValue>, _ start: Int, _ end: Int) -> Bool {
        for e in start..<end where t.pointee.textEquals(values.entries[e]) { return true }
        return false
    }

    private func matches(_ t: TypedValue, _ pattern: BytePattern, _ scratch: inout ScratchBuffer) -> Bool {
        guard t.needsLowercase, let text = t.text else { return pattern.matches(t.textBuffer) }
        let target = scratch.base + scratch.used
        var w = ProtoWriter(p: target)
        w.lowercased(text, t.textCount)
        return pattern.matches(UnsafeRawBufferPointer(start: target, count: t.textCount))
    }
}
