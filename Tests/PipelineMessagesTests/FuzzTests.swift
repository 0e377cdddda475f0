import Foundation
import PipelineMessages
import Testing

/// Feeds each decoder 10,000 hostile inputs: random bytes, and mutations of valid encodings. Every input
/// must decode or throw `MessageDecodingError` (a crash fails the whole run), and whatever decodes must
/// re-encode to something that decodes to the same message.
@Suite("Fuzzing decoders")
struct FuzzTests {
    /// `FUZZ_ITERATIONS=1000000 swift test --filter FuzzTests` for a longer hunt, `FUZZ_SEED` to vary it.
    static let iterations = ProcessInfo.processInfo.environment["FUZZ_ITERATIONS"].flatMap(Int.init) ?? 10_000
    static let seedOffset = ProcessInfo.processInfo.environment["FUZZ_SEED"].flatMap(UInt64.init) ?? 0

    @Test func rawEvent() { fuzz(RawEvent.self, seed: 0x5241_5745) }
    @Test func cleanEvent() { fuzz(CleanEvent.self, seed: 0x434C_4541) }
    @Test func deadLetter() { fuzz(DeadLetter.self, seed: 0x444C_5100) }
    @Test func changeEvent() { fuzz(ChangeEvent.self, seed: 0x4344_4300) }
    @Test func recordChange() { fuzz(RecordChange.self, seed: 0x5245_4300) }
    @Test func batchRequest() { fuzz(BatchRequest.self, seed: 0x4241_5443) }
    @Test func status() { fuzz(Status.self, seed: 0x5354_4154) }
    @Test func alert() { fuzz(Alert.self, seed: 0x414C_4552) }

    private func fuzz<M: SampleMessage>(_: M.Type, seed: UInt64) {
        let seed = seed &+ Self.seedOffset
        var rng = SplitMix64(seed: seed)
        let valid = [M.full.encode()] + (0..<31).map { _ in M.random(using: &rng).encode() }
        var outcomes: [String: Int] = [:]
        var failures = 0
        for iteration in 0..<Self.iterations {
            let input = Mutator.input(iteration: iteration, valid: valid, rng: &rng)
            do {
                let decoded = try M(decoding: input)
                outcomes["decoded", default: 0] += 1
                if !reencodes(decoded) {
                    failures += 1
                    if failures <= 3 {
                        Issue.record("seed \(seed) iteration \(iteration): \(hex(input)) does not re-encode stably")
                    }
                }
            } catch {
                outcomes[error.kind.rawValue, default: 0] += 1
            }
        }
        #expect(failures == 0)
        // Both outcomes must be common, or the mutations are not exploring the decoder.
        #expect(outcomes["decoded", default: 0] > Self.iterations / 20, "\(outcomes)")
        #expect(outcomes["malformed_protobuf", default: 0] > Self.iterations / 20, "\(outcomes)")
    }

    /// Decoded values must re-encode to bytes that decode to an equal value and re-encode identically.
    private func reencodes<M: PipelineMessage>(_ decoded: M) -> Bool {
        let encoded = decoded.encode()
        guard let again = try? M(decoding: encoded) else { return false }
        // A fuzzed double can be NaN, which is never equal to itself; compare the bytes then.
        return (again == decoded || decoded != decoded) && again.encode() == encoded
    }
}

/// Builds fuzz inputs; each strategy in turn, so every one gets a sixth of the iterations.
enum Mutator {
    static func input(iteration: Int, valid: [[UInt8]], rng: inout SplitMix64) -> [UInt8] {
        var bytes = rng.element(of: valid)
        switch iteration % 6 {
        case 0:
            // Random bytes of random length, mostly short so some parse as tags.
            return rng.bytes(count: rng.bool() ? rng.below(16) : rng.below(400))
        case 1:
            for _ in 0...rng.below(4) where !bytes.isEmpty {
                bytes[rng.below(bytes.count)] ^= 1 << UInt8(rng.below(8))
            }
        case 2:
            // Truncate anywhere, or between two fields (which must still decode).
            let cut = rng.bool() ? rng.below(bytes.count + 1) : rng.element(of: Wire.scan(bytes).boundaries)
            bytes = Array(bytes.prefix(cut))
        case 3:
            for _ in 0...rng.below(3) {
                bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: rng.below(bytes.count + 1))
            }
        case 4:
            corruptLength(&bytes, rng: &rng)
        default:
            // Splice two encodings anywhere (the seam usually breaks a field) or between fields (protobuf
            // merges them: later scalars win, repeated fields and maps concatenate).
            let other = rng.element(of: valid)
            if rng.bool() {
                bytes = Array(bytes.prefix(rng.below(bytes.count + 1))) + other.suffix(rng.below(other.count + 1))
            } else {
                let seam = rng.element(of: Wire.scan(other).boundaries)
                bytes = Array(bytes.prefix(rng.element(of: Wire.scan(bytes).boundaries))) + other[seam...]
            }
        }
        return bytes
    }

    /// Rewrites one length prefix of a length-delimited field (found by walking the top level) to a nearby,
    /// zero, or huge value, possibly changing how many bytes the varint takes.
    static func corruptLength(_ bytes: inout [UInt8], rng: inout SplitMix64) {
        let prefixes = Wire.scan(bytes).lengthPrefixes
        guard let (start, end, length) = prefixes.isEmpty ? nil : rng.element(of: prefixes) else {
            if !bytes.isEmpty { bytes[rng.below(bytes.count)] = UInt8(truncatingIfNeeded: rng.next()) }
            return
        }
        let replacement: UInt64 =
            switch rng.below(5) {
            case 0: 0
            case 1: length + 1
            case 2: length &- 1
            case 3: UInt64.max >> UInt64(rng.below(64))
            default: rng.next() % 300
            }
        bytes.replaceSubrange(start..<end, with: varint(replacement))
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
        return out
    }
}

/// A lenient walk over the top level of a protobuf encoding, for aiming mutations.
enum Wire {
    struct Layout {
        /// Offsets where a top-level field starts, plus 0 and the end of the last whole field.
        var boundaries: [Int] = [0]
        /// (start, end, value) of each top-level length prefix.
        var lengthPrefixes: [(Int, Int, UInt64)] = []
    }

    static func scan(_ bytes: [UInt8]) -> Layout {
        var layout = Layout()
        var offset = 0
        func readVarint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count, shift < 64 {
                let byte = bytes[offset]
                offset += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            return nil
        }
        while offset < bytes.count, let tag = readVarint() {
            switch tag & 7 {
            case 0: guard readVarint() != nil else { return layout }
            case 1: offset += 8
            case 5: offset += 4
            case 2:
                let start = offset
                guard let length = readVarint() else { return layout }
                layout.lengthPrefixes.append((start, offset, length))
                guard length <= UInt64(bytes.count - offset) else { return layout }
                offset += Int(length)
            default: return layout
            }
            guard offset <= bytes.count else { return layout }
            layout.boundaries.append(offset)
        }
        return layout
    }
}
