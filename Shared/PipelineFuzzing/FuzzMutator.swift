/// Builds fuzz inputs from a corpus: one to eight stacked mutations of one entry (libFuzzer's and AFL's
/// "havoc" set: bit flips, interesting bytes, insertions, deletions, duplications, truncation, splicing, format
/// tokens, deep nesting, corrupted length prefixes, huge numbers).
struct FuzzMutator {
    let tokens: [[UInt8]]
    let maximumBytes: Int

    init(targetTokens: [[UInt8]], maximumBytes: Int) {
        tokens = targetTokens + FuzzTokens.generic
        self.maximumBytes = max(1, maximumBytes)
    }

    func mutate(_ corpus: [[UInt8]], rng: inout FuzzRandom) -> [UInt8] {
        var bytes = rng.element(of: corpus)
        // One in 64 inputs is fresh random bytes, mostly short so they parse as a tag or a token or two.
        if rng.below(64) == 0 { return rng.bytes(count: rng.bool() ? rng.below(16) : rng.below(256)) }
        for _ in 0..<(1 + rng.below(1 << rng.below(4))) {
            mutateOnce(&bytes, corpus: corpus, rng: &rng)
        }
        if bytes.count > maximumBytes { bytes.removeLast(bytes.count - maximumBytes) }
        return bytes
    }

    private func mutateOnce(_ bytes: inout [UInt8], corpus: [[UInt8]], rng: inout FuzzRandom) {
        switch rng.below(13) {
        case 0:
            guard !bytes.isEmpty else { return bytes = [rng.byte()] }
            bytes[rng.below(bytes.count)] ^= 1 << UInt8(rng.below(8))
        case 1:
            guard !bytes.isEmpty else { return }
            bytes[rng.below(bytes.count)] = rng.element(of: FuzzTokens.interestingBytes)
        case 2:
            bytes.insert(contentsOf: rng.bytes(count: 1 + rng.below(8)), at: rng.below(bytes.count + 1))
        case 3:
            guard !bytes.isEmpty else { return }
            let start = rng.below(bytes.count)
            bytes.removeSubrange(start..<min(bytes.count, start + 1 + rng.below(rng.bool() ? 4 : 64)))
        case 4:
            guard !bytes.isEmpty else { return }
            let start = rng.below(bytes.count)
            let chunk = bytes[start..<min(bytes.count, start + 1 + rng.below(32))]
            bytes.insert(contentsOf: Array(repeating: Array(chunk), count: 1 + rng.below(3)).joined(),
                at: rng.below(bytes.count + 1))
        case 5:
            bytes.removeLast(rng.below(bytes.count + 1))
        case 6:
            // Splice another entry: its tail after this one's head, the seam anywhere.
            let other = rng.element(of: corpus)
            bytes = Array(bytes.prefix(rng.below(bytes.count + 1))) + other.suffix(rng.below(other.count + 1))
        case 7:
            let token = rng.element(of: tokens)
            if rng.bool() || bytes.isEmpty {
                bytes.insert(contentsOf: token, at: rng.below(bytes.count + 1))
            } else {
                let start = rng.below(bytes.count)
                bytes.replaceSubrange(start..<min(bytes.count, start + token.count), with: token)
            }
        case 8:
            // Nesting past every depth limit (JSON arrays and objects, protobuf groups and sub-messages).
            // Only as deep as fits in an input: more would be cut off anyway (and cost time to build).
            let opener = rng.element(of: FuzzTokens.openers)
            let depth = min(rng.element(of: [63, 64, 65, 100, 1_000, 5_000]), maximumBytes / opener.count + 1)
            var nest: [UInt8] = []
            nest.reserveCapacity(depth * opener.count)
            for _ in 0..<depth { nest.append(contentsOf: opener) }
            bytes.insert(contentsOf: nest, at: rng.below(bytes.count + 1))
        case 9:
            FuzzWire.corruptLength(&bytes, rng: &rng)
        case 10:
            guard !bytes.isEmpty else { return }
            let index = rng.below(bytes.count)
            bytes[index] = bytes[index] &+ UInt8(truncatingIfNeeded: rng.below(33) - 16)
        case 11:
            replaceNumber(&bytes, rng: &rng)
        default:
            // Move a chunk: cut it out and put it back elsewhere (reorders fields, members, lines).
            guard bytes.count > 1 else { return }
            let start = rng.below(bytes.count)
            let end = min(bytes.count, start + 1 + rng.below(48))
            let chunk = Array(bytes[start..<end])
            bytes.removeSubrange(start..<end)
            bytes.insert(contentsOf: chunk, at: rng.below(bytes.count + 1))
        }
    }

    /// Replaces a run of ASCII digits with an extreme number (text formats keep their numbers in digits).
    private func replaceNumber(_ bytes: inout [UInt8], rng: inout FuzzRandom) {
        let isDigit: (UInt8) -> Bool = { $0 &- UInt8(ascii: "0") < 10 }
        guard let from = bytes.indices.dropFirst(rng.below(bytes.count + 1)).first(where: { isDigit(bytes[$0]) })
                ?? bytes.firstIndex(where: isDigit)
        else { return }
        var end = from
        while end < bytes.count, isDigit(bytes[end]) { end += 1 }
        bytes.replaceSubrange(from..<end, with: rng.element(of: FuzzTokens.numbers))
    }
}
