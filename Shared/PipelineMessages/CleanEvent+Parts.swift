internal import CPipelineProto

extension CleanEvent {
    /// Outcome of the transformer's quality checks; a failing event is a ``DeadLetter``, so there is no
    /// fail case.
    public enum QualityVerdict: Int32, Sendable, Hashable, CaseIterable {
        case unspecified = 0
        case pass = 1
        /// Kept, but ``CleanEvent/failedChecks`` or ``CleanEvent/warnedChecks`` name what was wrong.
        case warn = 2
    }

    /// The song a song event is about.
    public struct Song: Sendable, Hashable {
        public var songID: String
        public var title: String
        public var artist: String
        /// Play length in whole milliseconds (JSON `lengthSeconds` × 1000).
        public var lengthMs: Int64

        public init(songID: String = "", title: String = "", artist: String = "", lengthMs: Int64 = 0) {
            self.songID = songID
            self.title = title
            self.artist = artist
            self.lengthMs = lengthMs
        }
    }

    public struct Device: Sendable, Hashable {
        /// JSON `device.type`, e.g. `"mobile"`.
        public var deviceType: String
        public var os: String
        public var browser: String

        public init(deviceType: String = "", os: String = "", browser: String = "") {
            self.deviceType = deviceType
            self.os = os
            self.browser = browser
        }
    }

    public struct Location: Sendable, Hashable {
        public var city: String
        /// ISO 3166-1 alpha-2 when known.
        public var country: String
        /// Degrees, WGS 84.
        public var latitude: Double
        public var longitude: Double

        public init(city: String = "", country: String = "", latitude: Double = 0, longitude: Double = 0) {
            self.city = city
            self.country = country
            self.latitude = latitude
            self.longitude = longitude
        }
    }
}

extension CleanEvent.QualityVerdict: ProtobufCEnum {}

// MARK: - protobuf-c

extension CleanEvent.Song: ProtobufCConvertible {
    static var cInitializer: (UnsafeMutablePointer<Tributary__V1__CleanEvent__Song>?) -> Void {
        tributary__v1__clean_event__song__init
    }

    init(cMessage c: Tributary__V1__CleanEvent__Song) {
        songID = String(protobufC: c.song_id)
        title = String(protobufC: c.title)
        artist = String(protobufC: c.artist)
        lengthMs = c.length_ms
    }

    func fill(_ c: inout Tributary__V1__CleanEvent__Song, in arena: EncodingArena) {
        c.song_id = arena.string(songID)
        c.title = arena.string(title)
        c.artist = arena.string(artist)
        c.length_ms = lengthMs
    }
}

extension CleanEvent.Device: ProtobufCConvertible {
    static var cInitializer: (UnsafeMutablePointer<Tributary__V1__CleanEvent__Device>?) -> Void {
        tributary__v1__clean_event__device__init
    }

    init(cMessage c: Tributary__V1__CleanEvent__Device) {
        deviceType = String(protobufC: c.device_type)
        os = String(protobufC: c.os)
        browser = String(protobufC: c.browser)
    }

    func fill(_ c: inout Tributary__V1__CleanEvent__Device, in arena: EncodingArena) {
        c.device_type = arena.string(deviceType)
        c.os = arena.string(os)
        c.browser = arena.string(browser)
    }
}

extension CleanEvent.Location: ProtobufCConvertible {
    static var cInitializer: (UnsafeMutablePointer<Tributary__V1__CleanEvent__Location>?) -> Void {
        tributary__v1__clean_event__location__init
    }

    init(cMessage c: Tributary__V1__CleanEvent__Location) {
        city = String(protobufC: c.city)
        country = String(protobufC: c.country)
        latitude = c.latitude
        longitude = c.longitude
    }

    func fill(_ c: inout Tributary__V1__CleanEvent__Location, in arena: EncodingArena) {
        c.city = arena.string(city)
        c.country = arena.string(country)
        c.latitude = latitude
        c.longitude = longitude
    }
}
