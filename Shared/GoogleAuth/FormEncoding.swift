/// `application/x-www-form-urlencoded` bodies (WHATWG URL standard): unreserved bytes as-is, space as `+`,
/// everything else `%XX`.
enum FormEncoding {
    /// Encodes name-value pairs in order.
    static func encode(_ pairs: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        for (index, (name, value)) in pairs.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "&")) }
            self.append(name, to: &out)
            out.append(UInt8(ascii: "="))
            self.append(value, to: &out)
        }
        return out
    }

    /// Percent-encodes one component (also for query strings, where `+` for space is accepted too).
    static func component(_ text: String) -> String {
        var out: [UInt8] = []
        self.append(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func append(_ text: String, to out: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "*"):
                out.append(byte)
            case UInt8(ascii: " "):
                out.append(UInt8(ascii: "+"))
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
    }
}
