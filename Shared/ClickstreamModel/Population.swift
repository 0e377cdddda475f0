/// The synthetic world behind the clickstream: users, songs and shop items, derived from the seed alone.
///
/// Built once per ``EventSynthesizer`` (a few milliseconds for the defaults) and read-only afterwards.
final class Population: Sendable {
    struct User: Sendable {
        /// `u-` and 16 hex digits: the Kafka key and `userId`.
        let id: [UInt8]
        /// `id` quoted for JSON.
        let quotedId: [UInt8]
        let city: Int
        let deviceProfile: Int
        let isPaid: Bool

        init(id: [UInt8], city: Int, deviceProfile: Int, isPaid: Bool) {
            self.id = id
            self.quotedId = [UInt8(ascii: "\"")] + id + [UInt8(ascii: "\"")]
            self.city = city
            self.deviceProfile = deviceProfile
            self.isPaid = isPaid
        }

        /// Clean-path fragment after the event id's digits: `","userId":"u-…","sessionId":"s-`.
        var head: [UInt8] {
            Array("\",\"userId\":".utf8) + quotedId + Array(",\"sessionId\":\"s-".utf8)
        }

        /// Clean-path fragment with everything fixed per user:
        /// `,"device":{…},"location":{…},"level":"…","userAgent":"…","sequence":`.
        var tail: [UInt8] {
            Array(",\"device\":".utf8) + Catalog.deviceObjects[deviceProfile] + Array(",\"location\":".utf8)
                + Catalog.locationObjects[city] + Array((isPaid ? ",\"level\":\"paid\"" : ",\"level\":\"free\"").utf8)
                + Array(",\"userAgent\":".utf8) + Catalog.quotedUserAgents[deviceProfile] + Array(",\"sequence\":".utf8)
        }
    }

    struct Song: Sendable {
        let id: String
        let artist: String
        let title: String
        let lengthMs: Int64
        /// The clean `{"songId":…,"artist":…,"title":…,"lengthSeconds":…}` object.
        let object: [UInt8]
        /// Clean-path fragment: `,"song":{…}`.
        var member: [UInt8] { Array(",\"song\":".utf8) + object }
    }

    struct Item: Sendable {
        let quotedId: [UInt8]
        let priceCents: Int64

        /// Clean-path fragment: `,"itemId":"i-…","price":9.99`.
        var member: [UInt8] {
            var w = JSONBytes(capacity: 48)
            w.raw(",\"itemId\":")
            w.raw(quotedId)
            w.raw(",\"price\":")
            w.fixed(priceCents, decimals: 2)
            return w.bytes
        }
    }

    let users: [User]
    let songs: [Song]
    let items: [Item]
    /// Users by activity: rank r is drawn with weight `1/(r + 20)`, so the busiest user has about
    /// 0.8% of the events (10,000 users) and is ~500x as busy as the quietest.
    let userActivity: AliasTable
    /// Songs by popularity: weight `1/(r + 5)`; the top song gets about 2.5% of plays (5,000 songs).
    let songPopularity: AliasTable
    let itemPopularity: AliasTable

    /// Clean-path fragments: per user (head, tail), per song and item (member), per event type and page.
    let arena: FragmentArena
    let userSlices: [(head: FragmentArena.Slice, tail: FragmentArena.Slice)]
    let songSlices: [FragmentArena.Slice]
    let itemSlices: [FragmentArena.Slice]
    let eventTypeSlices: [FragmentArena.Slice]
    let pageSlices: [FragmentArena.Slice]
    /// `{"eventId":"e-<seed hex>-`.
    let prefixSlice: FragmentArena.Slice

    init(seed: UInt64, userCount: Int, songCount: Int, itemCount: Int) {
        let userKey = Stream.users.key(seed: seed)
        let profileTable = AliasTable(weights: Catalog.deviceProfiles.map { Double($0.weight) })
        users = (0..<userCount).map { i in
            var id: [UInt8] = Array("u-".utf8)
            JSONBytes.appendHex16(mix64(UInt64(i) ^ userKey), to: &id)  // a bijection: ids never collide
            var rng = SplitMix64(state: mix64(userKey &+ UInt64(i) &* goldenGamma))
            return User(
                id: id, city: rng.below(Catalog.cities.count), deviceProfile: profileTable.sample(rng.next()),
                isPaid: rng.chance(3, in: 10))
        }

        let songKey = Stream.songs.key(seed: seed)
        let artistKey = Stream.artists.key(seed: seed)
        let artistCount = max(1, songCount / 6)
        songs = (0..<songCount).map { i in
            var rng = SplitMix64(state: mix64(songKey &+ UInt64(i) &* goldenGamma))
            var idBytes: [UInt8] = Array("so-".utf8)
            JSONBytes.appendHex16(mix64(UInt64(i) ^ songKey), to: &idBytes)
            let artistIndex = rng.below(artistCount)
            var artistRng = SplitMix64(state: mix64(artistKey &+ UInt64(artistIndex) &* goldenGamma))
            let artist =
                Catalog.artistFirst[artistRng.below(Catalog.artistFirst.count)] + " "
                + Catalog.artistSecond[artistRng.below(Catalog.artistSecond.count)]
            let words = (0...rng.below(3)).map { _ in Catalog.titleWords[rng.below(Catalog.titleWords.count)] }
            let title = words.joined(separator: " ")
            // Mostly 2–5 minutes, some long tracks up to ~12 minutes; millisecond precision.
            let lengthMs = Int64(120_000 + rng.below(180_000) + (rng.chance(1, in: 10) ? rng.below(420_000) : 0))
            let id = String(decoding: idBytes, as: UTF8.self)
            return Song(
                id: id, artist: artist, title: title, lengthMs: lengthMs,
                object: Self.songObject(id: id, artist: artist, title: title, length: Self.seconds(lengthMs)))
        }

        let itemKey = Stream.items.key(seed: seed)
        let prices: [Int64] = [99, 129, 499, 999, 1299, 1499, 1999, 2499, 2999, 4999]
        items = (0..<itemCount).map { i in
            var rng = SplitMix64(state: mix64(itemKey &+ UInt64(i) &* goldenGamma))
            var id: [UInt8] = Array("\"i-".utf8)
            JSONBytes.appendHex16(mix64(UInt64(i) ^ itemKey), to: &id)
            id.append(UInt8(ascii: "\""))
            return Item(quotedId: id, priceCents: prices[rng.below(prices.count)])
        }

        var arena = FragmentArena()
        prefixSlice = arena.add(Array("{\"eventId\":\"e-\(String(seed, radix: 16))-".utf8))
        userSlices = users.map { (arena.add($0.head), arena.add($0.tail)) }
        songSlices = songs.map { arena.add($0.member) }
        itemSlices = items.map { arena.add($0.member) }
        eventTypeSlices = EventType.allCases.map {
            arena.add(Array("\",\"eventType\":".utf8) + JSONBytes.quoted($0.rawValue) + Array(",\"timestamp\":".utf8))
        }
        pageSlices = Catalog.quotedPages.map { arena.add(Array(",\"page\":".utf8) + $0) }
        self.arena = arena

        userActivity = AliasTable.zipfLike(count: userCount, offset: 20)
        songPopularity = AliasTable.zipfLike(count: songCount, offset: 5)
        itemPopularity = AliasTable.zipfLike(count: itemCount, offset: 10)
    }

    // MARK: - Fragments

    /// A JSON number with millisecond precision, e.g. `215.347`.
    static func seconds(_ ms: Int64) -> [UInt8] {
        var w = JSONBytes(capacity: 16)
        w.fixed(ms, decimals: 3)
        return w.bytes
    }

    /// A song object with `lengthSeconds` written as the given raw JSON.
    static func songObject(id: String, artist: String, title: String, length: [UInt8], spaced: Bool = false)
        -> [UInt8]
    {
        let colon = spaced ? Array("\": ".utf8) : Array("\":".utf8)
        let comma = spaced ? Array(", \"".utf8) : Array(",\"".utf8)
        var out: [UInt8] = Array("{\"songId".utf8) + colon + JSONBytes.quoted(id)
        out += comma + Array("artist".utf8) + colon + JSONBytes.quoted(artist)
        out += comma + Array("title".utf8) + colon + JSONBytes.quoted(title)
        out += comma + Array("lengthSeconds".utf8) + colon + length
        out += Array("}".utf8)
        return out
    }

    func songObject(_ index: Int, length: [UInt8], spaced: Bool = false) -> [UInt8] {
        let song = songs[index]
        return Self.songObject(id: song.id, artist: song.artist, title: song.title, length: length, spaced: spaced)
    }
}
