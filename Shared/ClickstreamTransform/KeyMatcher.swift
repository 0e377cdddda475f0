/// Maps a member name's bytes to an ``EventField`` without hashing or allocating.
///
/// Called once per member of every event: a switch on the length and a byte compare beat a dictionary
/// lookup, which would first need a `String`.
enum KeyMatcher {
    /// The field `key` names inside the object `parent` (`nil`: the top level), or `nil` when unknown.
    @inline(__always)
    static func field(_ key: UnsafeRawPointer, count: Int, parent: EventField?) -> EventField? {
        switch parent {
        case nil: topLevel(key, count)
        case .song?: song(key, count)
        case .device?: device(key, count)
        case .location?: location(key, count)
        default: nil
        }
    }

    @inline(__always)
    private static func topLevel(_ k: UnsafeRawPointer, _ n: Int) -> EventField? {
        switch n {
        case 4:
            if equal(k, "page") { return .page }
            if equal(k, "song") { return .song }
        case 5:
            if equal(k, "price") { return .price }
            if equal(k, "level") { return .level }
        case 6:
            if equal(k, "userId") { return .userId }
            if equal(k, "itemId") { return .itemId }
            if equal(k, "device") { return .device }
            if equal(k, "sentAt") { return .sentAt }
        case 7:
            if equal(k, "eventId") { return .eventId }
        case 8:
            if equal(k, "location") { return .location }
            if equal(k, "sequence") { return .sequence }
        case 9:
            if equal(k, "sessionId") { return .sessionId }
            if equal(k, "eventType") { return .eventType }
            if equal(k, "timestamp") { return .timestamp }
            if equal(k, "userAgent") { return .userAgent }
        default: break
        }
        return nil
    }

    @inline(__always)
    private static func song(_ k: UnsafeRawPointer, _ n: Int) -> EventField? {
        switch n {
        case 5: if equal(k, "title") { return .songTitle }
        case 6:
            if equal(k, "songId") { return .songId }
            if equal(k, "artist") { return .songArtist }
        case 13: if equal(k, "lengthSeconds") { return .songLengthSeconds }
        default: break
        }
        return nil
    }

    @inline(__always)
    private static func device(_ k: UnsafeRawPointer, _ n: Int) -> EventField? {
        switch n {
        case 2: if equal(k, "os") { return .deviceOS }
        case 4: if equal(k, "type") { return .deviceType }
        case 7: if equal(k, "browser") { return .deviceBrowser }
        default: break
        }
        return nil
    }

    @inline(__always)
    private static func location(_ k: UnsafeRawPointer, _ n: Int) -> EventField? {
        switch n {
        case 3:
            if equal(k, "lat") { return .locationLat }
            if equal(k, "lon") { return .locationLon }
        case 4: if equal(k, "city") { return .locationCity }
        case 7: if equal(k, "country") { return .locationCountry }
        default: break
        }
        return nil
    }

    /// Whether the bytes at `key` equal `name` (the caller has checked the length).
    @inline(__always)
    private static func equal(_ key: UnsafeRawPointer, _ name: StaticString) -> Bool {
        let n = name.utf8CodeUnitCount
        let s = UnsafeRawPointer(name.utf8Start)
        var i = 0
        while i + 8 <= n {
            if key.loadUnaligned(fromByteOffset: i, as: UInt64.self) != s.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < n {
            if key.load(fromByteOffset: i, as: UInt8.self) != s.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }
}
