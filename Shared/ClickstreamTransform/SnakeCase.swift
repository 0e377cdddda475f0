/// camelCase to snake_case for attribute keys, over UTF-8 bytes: `clientVersion` → `client_version`,
/// `userID` → `user_id`, `HTTPStatus` → `http_status`; only ASCII letters change case.
enum SnakeCase {
    /// Writes the snake_case form of `count` bytes at `source` to `target` (room for `2 * count` bytes).
    /// - Returns: the bytes written.
    static func convert(_ source: UnsafeRawPointer, count: Int, into target: UnsafeMutablePointer<UInt8>) -> Int {
        @inline(__always) func at(_ i: Int) -> UInt8 { source.load(fromByteOffset: i, as: UInt8.self) }
        @inline(__always) func isUpper(_ b: UInt8) -> Bool { b &- 0x41 < 26 }
        @inline(__always) func isLowerOrDigit(_ b: UInt8) -> Bool { b &- 0x61 < 26 || b &- 0x30 < 10 }
        var o = 0
        for i in 0..<count {
            let b = at(i)
            if isUpper(b) {
                if i > 0, target[o - 1] != 0x5F {
                    let previous = at(i - 1)
                    let nextIsLower = i + 1 < count && at(i + 1) &- 0x61 < 26
                    if isLowerOrDigit(previous) || (isUpper(previous) && nextIsLower) {
                        target[o] = 0x5F
                        o += 1
                    }
                }
                target[o] = b | 0x20
            } else {
                target[o] = b
            }
            o += 1
        }
        return o
    }

    static func convert(_ key: String) -> String {
        let bytes = Array(key.utf8)
        return bytes.withUnsafeBytes { source in
            String(unsafeUninitializedCapacity: max(1, 2 * bytes.count)) { target in
                guard let base = source.baseAddress else { return 0 }
                return convert(base, count: bytes.count, into: target.baseAddress!)
            }
        }
    }
}
