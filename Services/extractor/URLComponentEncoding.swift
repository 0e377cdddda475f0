/// Percent-encoding for query strings and form bodies: unreserved bytes as they are, everything else `%XX`
/// (space too, so a SOQL query survives any server's decoding).
enum URLComponentEncoding {
    static func component(_ text: String) -> String {
        String(decoding: encode(text), as: UTF8.self)
    }

    /// `application/x-www-form-urlencoded` name-value pairs.
    static func form(_ pairs: [(String, String)]) -> [UInt8] {
        Array(pairs.map { component($0.0) + "=" + component($0.1) }.joined(separator: "&").utf8)
    }

    private static func encode(_ text: String) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return out
    }
}
