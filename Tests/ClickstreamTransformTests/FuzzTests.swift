import ClickstreamModel
import ClickstreamTransform
import Testing

/// Random and mutated payloads never crash the transformer and always end in a known outcome.
@Suite struct FuzzTests {
    static let knownReasons: Set<String> = [
        "invalid_utf8", "invalid_json", "missing_field", "wrong_type", "out_of_range", "duplicate_event_id",
    ]

    @Test func randomAndMutatedPayloads() {
        var rng = SystemRandomNumberGenerator.Seeded(seed: 0x5EED)
        let synthesizer = EventSynthesizer(seed: 3, badFraction: 0.2)
        let transformer = Fixtures.transformer()
        let alphabet = Array("{}[]\":,\\ntrufalse0123456789-+.eE \t\nabcu".utf8)
        var accepted = 0
        for i in 0..<12_000 {
            var bytes: [UInt8]
            switch i % 4 {
            case 0:  // random bytes
                bytes = (0..<rng.below(200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            case 1:  // random JSON-ish tokens
                bytes = (0..<rng.below(200)).map { _ in alphabet[rng.below(alphabet.count)] }
            default:  // a real payload with a few bytes flipped, inserted or removed
                bytes = synthesizer.record(at: UInt64(i)).payload
                for _ in 0...rng.below(4) where !bytes.isEmpty {
                    let at = rng.below(bytes.count)
                    switch rng.below(4) {
                    case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: bytes.insert(alphabet[rng.below(alphabet.count)], at: at)
                    case 2: bytes.remove(at: at)
                    default: bytes[at] = alphabet[rng.below(alphabet.count)]
                    }
                }
            }
            let outcome = transformer.transform(payload: bytes, source: "fuzz", receivedTimeMs: 1, processedTimeMs: 2)
            switch outcome {
            case .clean(let event):
                accepted += 1
                #expect((try? event.decoded()) != nil, "clean output must decode (case \(i))")
            case .rejected(let r):
                #expect(Self.knownReasons.contains(r.reason), "\(r)")
                #expect(!r.detail.isEmpty && r.detail.utf8.count < 400)
            }
        }
        #expect(accepted > 100)
    }
}

extension SystemRandomNumberGenerator {
    /// A seeded SplitMix64, so fuzz failures reproduce.
    struct Seeded {
        var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    }
}
