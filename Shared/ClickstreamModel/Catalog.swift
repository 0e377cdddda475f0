/// Fixed reference tables: pages, cities, device profiles, and words for song and artist names.
///
/// The tables are part of the reproducible output: editing them changes every record for every seed.
enum Catalog {
    // MARK: - Pages

    /// The site's pages (`page` values). Every page is one of these.
    static let pages: [String] = [
        "/home", "/browse", "/search", "/song", "/artist", "/album", "/playlist", "/radio", "/library", "/cart",
        "/checkout", "/settings", "/account", "/upgrade", "/downgrade", "/login", "/logout", "/help", "/about",
        "/error",
    ]

    static let quotedPages: [[UInt8]] = pages.map(JSONBytes.quoted)

    /// Indices into `pages` for a browsing event (page_view, click), weighted by repetition.
    static let browsingPages: [Int] = {
        let weights: [String: Int] = [
            "/home": 12, "/browse": 10, "/search": 4, "/song": 8, "/artist": 6, "/album": 6, "/playlist": 6,
            "/radio": 4, "/library": 5, "/cart": 3, "/checkout": 1, "/settings": 2, "/account": 2, "/upgrade": 1,
            "/downgrade": 1, "/login": 1, "/logout": 1, "/help": 2, "/about": 1, "/error": 1,
        ]
        return pages.indices.flatMap { Array(repeating: $0, count: weights[pages[$0]] ?? 1) }
    }()

    static func pageIndex(_ page: String) -> Int {
        pages.firstIndex(of: page)!
    }

    static let adPages: [Int] = ["/home", "/browse", "/radio", "/song"].map(pageIndex)

    // MARK: - Cities

    struct City {
        let name: String
        let country: String
        /// Decimal degrees exactly as written in the payload.
        let lat: String
        let lon: String
    }

    /// Real cities (ISO 3166-1 alpha-2 country codes); some names are non-ASCII on purpose.
    static let cities: [City] = [
        City(name: "New York", country: "US", lat: "40.7128", lon: "-74.0060"),
        City(name: "Los Angeles", country: "US", lat: "34.0522", lon: "-118.2437"),
        City(name: "Chicago", country: "US", lat: "41.8781", lon: "-87.6298"),
        City(name: "Houston", country: "US", lat: "29.7604", lon: "-95.3698"),
        City(name: "San Francisco", country: "US", lat: "37.7749", lon: "-122.4194"),
        City(name: "Seattle", country: "US", lat: "47.6062", lon: "-122.3321"),
        City(name: "Miami", country: "US", lat: "25.7617", lon: "-80.1918"),
        City(name: "Boston", country: "US", lat: "42.3601", lon: "-71.0589"),
        City(name: "Toronto", country: "CA", lat: "43.6532", lon: "-79.3832"),
        City(name: "Montréal", country: "CA", lat: "45.5017", lon: "-73.5673"),
        City(name: "Vancouver", country: "CA", lat: "49.2827", lon: "-123.1207"),
        City(name: "Mexico City", country: "MX", lat: "19.4326", lon: "-99.1332"),
        City(name: "São Paulo", country: "BR", lat: "-23.5505", lon: "-46.6333"),
        City(name: "Rio de Janeiro", country: "BR", lat: "-22.9068", lon: "-43.1729"),
        City(name: "Buenos Aires", country: "AR", lat: "-34.6037", lon: "-58.3816"),
        City(name: "Bogotá", country: "CO", lat: "4.7110", lon: "-74.0721"),
        City(name: "Lima", country: "PE", lat: "-12.0464", lon: "-77.0428"),
        City(name: "Santiago", country: "CL", lat: "-33.4489", lon: "-70.6693"),
        City(name: "London", country: "GB", lat: "51.5074", lon: "-0.1278"),
        City(name: "Paris", country: "FR", lat: "48.8566", lon: "2.3522"),
        City(name: "Berlin", country: "DE", lat: "52.5200", lon: "13.4050"),
        City(name: "Madrid", country: "ES", lat: "40.4168", lon: "-3.7038"),
        City(name: "Rome", country: "IT", lat: "41.9028", lon: "12.4964"),
        City(name: "Amsterdam", country: "NL", lat: "52.3676", lon: "4.9041"),
        City(name: "Stockholm", country: "SE", lat: "59.3293", lon: "18.0686"),
        City(name: "Zürich", country: "CH", lat: "47.3769", lon: "8.5417"),
        City(name: "Kraków", country: "PL", lat: "50.0647", lon: "19.9450"),
        City(name: "Dublin", country: "IE", lat: "53.3498", lon: "-6.2603"),
        City(name: "Lisbon", country: "PT", lat: "38.7223", lon: "-9.1393"),
        City(name: "Reykjavík", country: "IS", lat: "64.1466", lon: "-21.9426"),
        City(name: "Istanbul", country: "TR", lat: "41.0082", lon: "28.9784"),
        City(name: "Cairo", country: "EG", lat: "30.0444", lon: "31.2357"),
        City(name: "Lagos", country: "NG", lat: "6.5244", lon: "3.3792"),
        City(name: "Nairobi", country: "KE", lat: "-1.2921", lon: "36.8219"),
        City(name: "Johannesburg", country: "ZA", lat: "-26.2041", lon: "28.0473"),
        City(name: "Dubai", country: "AE", lat: "25.2048", lon: "55.2708"),
        City(name: "Mumbai", country: "IN", lat: "19.0760", lon: "72.8777"),
        City(name: "Bengaluru", country: "IN", lat: "12.9716", lon: "77.5946"),
        City(name: "Singapore", country: "SG", lat: "1.3521", lon: "103.8198"),
        City(name: "Tokyo", country: "JP", lat: "35.6762", lon: "139.6503"),
        City(name: "Seoul", country: "KR", lat: "37.5665", lon: "126.9780"),
        City(name: "Shanghai", country: "CN", lat: "31.2304", lon: "121.4737"),
        City(name: "Sydney", country: "AU", lat: "-33.8688", lon: "151.2093"),
        City(name: "Auckland", country: "NZ", lat: "-36.8485", lon: "174.7633"),
    ]

    /// `{"city":…,"country":…,"lat":…,"lon":…}` for each city, built once.
    static let locationObjects: [[UInt8]] = cities.map { locationObject($0) }

    /// A location object; `lat`/`lon` are written as given (raw JSON), defaulting to the city's numbers.
    static func locationObject(_ city: City, lat: [UInt8]? = nil, lon: [UInt8]? = nil, spaced: Bool = false)
        -> [UInt8]
    {
        let colon = spaced ? Array("\": ".utf8) : Array("\":".utf8)
        let comma = spaced ? Array(", \"".utf8) : Array(",\"".utf8)
        var out: [UInt8] = Array("{\"city".utf8) + colon + JSONBytes.quoted(city.name)
        out += comma + Array("country".utf8) + colon + JSONBytes.quoted(city.country)
        out += comma + Array("lat".utf8) + colon + (lat ?? Array(city.lat.utf8))
        out += comma + Array("lon".utf8) + colon + (lon ?? Array(city.lon.utf8))
        out += Array("}".utf8)
        return out
    }

    // MARK: - Devices

    struct DeviceProfile {
        let type: String
        let os: String
        let browser: String
        let userAgent: String
        /// Relative share of users on this profile.
        let weight: Int
    }

    static let deviceProfiles: [DeviceProfile] = [
        DeviceProfile(
            type: "desktop", os: "Windows", browser: "Chrome",
            userAgent:
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            weight: 20),
        DeviceProfile(
            type: "desktop", os: "Windows", browser: "Edge",
            userAgent:
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
            weight: 6),
        DeviceProfile(
            type: "desktop", os: "Windows", browser: "Firefox",
            userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
            weight: 5),
        DeviceProfile(
            type: "desktop", os: "macOS", browser: "Safari",
            userAgent:
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
            weight: 8),
        DeviceProfile(
            type: "desktop", os: "macOS", browser: "Chrome",
            userAgent:
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            weight: 7),
        DeviceProfile(
            type: "desktop", os: "Linux", browser: "Firefox",
            userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
            weight: 3),
        DeviceProfile(
            type: "mobile", os: "iOS", browser: "Safari",
            userAgent:
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
            weight: 16),
        DeviceProfile(
            type: "mobile", os: "Android", browser: "Chrome",
            userAgent:
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
            weight: 14),
        DeviceProfile(
            type: "mobile", os: "Android", browser: "Samsung Internet",
            userAgent:
                "Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
            weight: 5),
        DeviceProfile(
            type: "tablet", os: "iPadOS", browser: "Safari",
            userAgent:
                "Mozilla/5.0 (iPad; CPU OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
            weight: 4),
        DeviceProfile(
            type: "tablet", os: "Android", browser: "Chrome",
            userAgent:
                "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Safari/537.36",
            weight: 2),
        DeviceProfile(
            type: "mobile", os: "iOS", browser: "app",
            userAgent: "Tributary/5.2.1 (iPhone15,3; iOS 17.4.1; Scale/3.00)", weight: 6),
        DeviceProfile(
            type: "mobile", os: "Android", browser: "app",
            userAgent: "Tributary/5.2.1 (Linux; U; Android 14; Pixel 7 Build/AP1A.240405.002)", weight: 4),
    ]

    /// `{"type":…,"os":…,"browser":…}` for each profile, built once.
    static let deviceObjects: [[UInt8]] = deviceProfiles.map { p in
        Array("{\"type\":".utf8) + JSONBytes.quoted(p.type) + Array(",\"os\":".utf8) + JSONBytes.quoted(p.os)
            + Array(",\"browser\":".utf8) + JSONBytes.quoted(p.browser) + Array("}".utf8)
    }

    static let quotedUserAgents: [[UInt8]] = deviceProfiles.map { JSONBytes.quoted($0.userAgent) }

    // MARK: - Words

    /// Words for artist names; a few need JSON escaping on purpose.
    static let artistFirst: [String] = [
        "The", "Midnight", "Electric", "Velvet", "Golden", "Silver", "Neon", "Crimson", "Lonely", "Wild", "Paper",
        "Glass", "Broken", "Hollow", "Northern", "Southern", "DJ", "MC", "Lil", "Big", "Saint", "Sister", "Brother",
        "Captain", "Los", "Les", "Die", "Café", "Señor", "Mötley", "Björk's", "AC\\DC", "\"Weird\"",
    ]
    static let artistSecond: [String] = [
        "Foxes", "Tigers", "Machines", "Hearts", "Echoes", "Rivers", "Lights", "Ghosts", "Wolves", "Orchestra",
        "Collective", "Band", "Trio", "Quartet", "Kids", "Dreamers", "Kings", "Queens", "Satellites", "Parade",
        "Riot", "Garden", "Sound System", "Experience", "& The Waves", "Nova", "Sol", "Luna", "Fuego", "Sakura",
    ]
    /// Words for song titles; a few need JSON escaping on purpose.
    static let titleWords: [String] = [
        "Love", "Night", "Heart", "Fire", "Rain", "Dance", "Dream", "Summer", "Road", "Home", "Light", "Shadow",
        "Gold", "River", "Stars", "City", "Blue", "Forever", "Tonight", "Again", "Run", "Fall", "Rise", "Wild",
        "Slow", "Electric", "Paradise", "Ocean", "Midnight", "Echo", "Don't", "Stop", "(Remix)", "[Live]",
        "\"Heroes\"", "Back\\Slash", "Canción", "Ça va", "Über", "Tokyo", "Neon", "Honey", "Thunder", "Glass",
    ]
}
