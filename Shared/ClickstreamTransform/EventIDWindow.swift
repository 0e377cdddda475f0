/// The most recent accepted event ids of one partition: a ring buffer of `capacity` ids plus an open-addressing
/// hash set over it, so `contains` and `insert` cost one hash and a probe or two, and memory stays fixed.
///
/// Only accepted events go in (the contract: a duplicate repeats an earlier *good* event). The oldest id is
/// forgotten when the ring is full, so a duplicate arriving more than `capacity` accepted events after its
/// original passes; size the window for the replay and reordering span the service must cover. Ids up to
/// 40 bytes are stored inline; longer ones cost one allocation each.
///
/// Each id is kept with the log position (partition offset) it was accepted at, so a record that Kafka
/// redelivers after a restart or rebalance — same partition, same offset — is recognised as itself and never
/// as its own duplicate: only a *different, earlier* position with the same id makes a duplicate.
///
/// Not thread-safe: one window per partition, owned by the thread that transforms it. The service rebuilds it
/// on partition assignment from its own recent output: ``remember(_:acceptedAt:)-(UnsafeRawBufferPointer,_)`` with
/// each accepted event's id and `events.raw` position, so what counts as accepted is what was accepted then, not
/// what today's rules would accept.
public final class EventIDWindow {
    public let capacity: Int
    /// Ids held, at most `capacity`.
    @exclusivity(unchecked)  // not Sendable: one owner, no overlapping access
    public private(set) var count = 0

    static let inlineBytes = 40

    /// Ring: the id in each slot (hash, length, inline bytes or an overflow array).
    private let hashes: UnsafeMutablePointer<UInt64>
    /// The position each remembered id was accepted at.
    private let positions: UnsafeMutablePointer<Int64>
    private let lengths: UnsafeMutablePointer<Int32>
    private let inline: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked)  // not Sendable: one owner, no overlapping access
    private var overflow: [Int: [UInt8]] = [:]
    /// The ring slot written next (the oldest id once full).
    @exclusivity(unchecked)  // not Sendable: one owner, no overlapping access
    private var head = 0
    /// Linear-probing table of `(low 32 bits of the hash) << 32 | (slot + 1)`; 0 is empty. At most half full.
    /// The stored hash bits include the home index, so deletion never reads the ring (a cache miss each).
    private let table: UnsafeMutablePointer<UInt64>
    private let mask: Int
    /// Random per window, so crafted ids cannot force collisions.
    private let seed: UInt64

    /// - Parameter capacity: how many recent ids to remember (at least 1). Default 100,000.
    public init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
        hashes = .allocate(capacity: self.capacity)
        positions = .allocate(capacity: self.capacity)
        lengths = .allocate(capacity: self.capacity)
        inline = .allocate(capacity: self.capacity * Self.inlineBytes)
        var size = 16
        while size < self.capacity * 2 { size <<= 1 }
        precondition(size <= 1 << 32, "capacity too large")
        table = .allocate(capacity: size)
        table.initialize(repeating: 0, count: size)
        mask = size - 1
        seed = UInt64.random(in: .min ... .max)
    }

    deinit {
        hashes.deallocate()
        positions.deallocate()
        lengths.deallocate()
        inline.deallocate()
        table.deallocate()
    }

    /// Whether `id` is among the remembered ids.
    public func contains(_ id: UnsafeRawBufferPointer) -> Bool {
        find(id, hash: hash(id)) != nil
    }

    /// Looks an id up, returning the position it was accepted at (if remembered), its ring slot, and its hash
    /// so a following ``insert(absent:hash:position:)`` need not recompute it.
    @inline(__always)
    func lookup(_ id: UnsafeRawBufferPointer) -> (position: Int64?, slot: Int, hash: UInt64) {
        let h = hash(id)
        guard let index = find(id, hash: h) else { return (nil, -1, h) }
        let slot = Int(truncatingIfNeeded: table[index] & 0xFFFF_FFFF) - 1
        return (positions[slot], slot, h)
    }

    /// Moves a remembered id to an earlier position (it was seen again before where it was first accepted,
    /// as happens after a rewind): the earliest acceptance is the original.
    func lower(slot: Int, to position: Int64) {
        if position < positions[slot] { positions[slot] = position }
    }

    /// The position `id` was accepted at, if it is remembered.
    public func position(of id: String) -> Int64? {
        var id = id
        return id.withUTF8 { lookup(UnsafeRawBufferPointer($0)).position }
    }

    public func contains(_ id: String) -> Bool {
        var id = id
        return id.withUTF8 { contains(UnsafeRawBufferPointer($0)) }
    }

    /// Remembers `id`, forgetting the oldest when full.
    ///
    /// - Returns: `false` (and changes nothing) when `id` is already remembered.
    @discardableResult
    public func insert(_ id: UnsafeRawBufferPointer, position: Int64 = 0) -> Bool {
        let h = hash(id)
        if find(id, hash: h) != nil { return false }
        insert(absent: id, hash: h, position: position)
        return true
    }

    /// Remembers an id accepted at `position`, as read back from the transformer's own output: an id already
    /// remembered keeps the earliest of its positions (a copy re-sent after a restart is the same acceptance).
    public func remember(_ id: UnsafeRawBufferPointer, acceptedAt position: Int64) {
        let (seenAt, slot, h) = lookup(id)
        if seenAt != nil { lower(slot: slot, to: position) } else { insert(absent: id, hash: h, position: position) }
    }

    public func remember(_ id: String, acceptedAt position: Int64) {
        var id = id
        id.withUTF8 { remember(UnsafeRawBufferPointer($0), acceptedAt: position) }
    }

    /// Inserts an id known to be absent, with its hash from ``lookup(_:)``.
    func insert(absent id: UnsafeRawBufferPointer, hash h: UInt64, position: Int64) {
        if count == capacity { remove(slot: head) } else { count += 1 }
        let slot = head
        hashes[slot] = h
        positions[slot] = position
        lengths[slot] = Int32(truncatingIfNeeded: id.count)
        if id.count <= Self.inlineBytes {
            if id.count > 0 {
                UnsafeMutableRawPointer(inline + slot * Self.inlineBytes).copyMemory(from: id.baseAddress!, byteCount: id.count)
            }
        } else {
            overflow[slot] = Array(id)
        }
        var i = Int(truncatingIfNeeded: h) & mask
        while table[i] != 0 { i = (i + 1) & mask }
        table[i] = h << 32 | UInt64(slot + 1)
        head = head + 1 == capacity ? 0 : head + 1
    }

    @discardableResult
    public func insert(_ id: String, position: Int64 = 0) -> Bool {
        var id = id
        return id.withUTF8 { insert(UnsafeRawBufferPointer($0), position: position) }
    }

    /// Forgets every id (on partition revocation, before a rebuild).
    public func removeAll() {
        table.update(repeating: 0, count: mask + 1)
        overflow.removeAll()
        count = 0
        head = 0
    }

    // MARK: - Internals

    /// The table index holding `id`, if any.
    @inline(__always)
    private func find(_ id: UnsafeRawBufferPointer, hash h: UInt64) -> Int? {
        var i = Int(truncatingIfNeeded: h) & mask
        let tag = h & 0xFFFF_FFFF
        while true {
            let entry = table[i]
            if entry == 0 { return nil }
            if entry >> 32 == tag {
                let slot = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if hashes[slot] == h, Int(lengths[slot]) == id.count, equal(slot, id) { return i }
            }
            i = (i + 1) & mask
        }
    }

    @inline(__always)
    private func equal(_ slot: Int, _ id: UnsafeRawBufferPointer) -> Bool {
        guard id.count > 0 else { return true }
        if id.count <= Self.inlineBytes {
            return memoryEqual(inline + slot * Self.inlineBytes, id.baseAddress!, id.count)
        }
        guard let long = overflow[slot] else { return false }
        return long.withUnsafeBytes { memoryEqual($0.baseAddress!, id.baseAddress!, id.count) }
    }

    /// Removes ring slot `slot`'s id from the table (backward-shift deletion keeps probes short, no tombstones).
    private func remove(slot: Int) {
        let h = hashes[slot]
        var i = Int(truncatingIfNeeded: h) & mask
        while Int(truncatingIfNeeded: table[i] & 0xFFFF_FFFF) != slot + 1 { i = (i + 1) & mask }
        var j = i
        while true {
            j = (j + 1) & mask
            let entry = table[j]
            if entry == 0 { break }
            let home = Int(truncatingIfNeeded: entry >> 32) & mask
            // Move the entry back into the hole unless its home lies cyclically in (i, j].
            let homeInRange = i <= j ? (home > i && home <= j) : (home > i || home <= j)
            if !homeInRange {
                table[i] = entry
                i = j
            }
        }
        table[i] = 0
        if lengths[slot] > Int32(Self.inlineBytes) { overflow[slot] = nil }
    }

    /// A seeded 64-bit hash: eight bytes per multiply, then a finalizer.
    @inline(__always)
    private func hash(_ id: UnsafeRawBufferPointer) -> UInt64 {
        var h = seed ^ (UInt64(truncatingIfNeeded: id.count) &* 0x9E37_79B9_7F4A_7C15)
        guard let p = id.baseAddress else { return mix(h) }
        var i = 0
        let n = id.count
        while i + 8 <= n {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
            shift += 8
            i += 1
        }
        return mix(h ^ tail)
    }

    @inline(__always)
    private func mix(_ x: UInt64) -> UInt64 {
        var z = x &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        z = z &* 0xBF58_476D_1CE4_E5B9
        return z ^ (z >> 32)
    }
}
