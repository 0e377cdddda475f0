/// Byte values and tokens that sit on the edges decoders test: sign bits, delimiters, escapes, NUL, invalid
/// UTF-8, varints that overflow, numbers that overflow, surrogates, line ends.
enum FuzzTokens {
    static let interestingBytes: [UInt8] = [
        0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, 0xC0, 0xC3, 0xED, 0xF4, 0xF5, 0x22, 0x5C, 0x0A, 0x0D, 0x09, 0x20, 0x2C, 0x3A,
        0x7B, 0x7D, 0x5B, 0x5D, 0x2D, 0x2E, 0x30, 0x39, 0x08, 0x0F, 0x10, 0x12, 0x1A, 0x22, 0x2A, 0x40,
    ]

    static let numbers: [[UInt8]] = [
        "0", "-0", "-1", "1e999", "-1e-999", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "18446744073709551616", "4294967296", "2147483648", "99999999999999999999999999999999999999", "0.000000001",
        "1.7976931348623157e309", "NaN", "Infinity", "00", "01", "1.", ".5", "1e", "+1", "0x10",
    ].map { Array($0.utf8) }

    static let openers: [[UInt8]] = [
        Array("[".utf8), Array("{\"a\":".utf8), Array("[{\"x\":".utf8),
        // A protobuf field 1 of wire type 2 with a huge length, and a start-group tag.
        [0x0A, 0xFF, 0xFF, 0x03], [0x0B],
    ]

    static let generic: [[UInt8]] =
        [
            "\"", "\\", "\\u0000", "\\uD800", "\\uDC00", "\\uD83D\\uDE00", "\\u00e9", "\\x", "\\", "null", "true",
            "false", "{}", "[]", "{", "}", "[", "]", ",", ":", "\"\":", ",,", "\r\n", "\n", "\r", "\u{0000}", "é", "🎵",
            "\u{FEFF}", "\u{200B}", "%00", "%", "*", "#", "@", "=", "/", "..", "T", "Z", "+00:00", "-", " ",
        ].map { Array($0.utf8) } + [
            [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xFF], [0xE2, 0x82],
            // Varints: the longest valid one, an over-long one, a 4 GiB length, and ten continuation bytes.
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
            [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80],
            // 2⁶³ (Int64.min's bit pattern) and 2⁶³ - 1.
            [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F],
        ]
}
