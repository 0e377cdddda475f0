/// A JSON number kept exactly as decimal digits (± mantissa × 10^exponent) alongside its nearest `Double`.
///
/// Prices and song lengths become integers (`price_micros`, `length_ms`) through ``scaled(byPowerOfTen:)``,
/// straight from the digits, so `9.99` is exactly 9,990,000 micros and never 9,989,999.
struct DecimalNumber: Equatable {
    var negative: Bool
    /// Up to 19 significant digits.
    var mantissa: UInt64
    var exponent: Int
    /// More than 19 significant digits were given: the value is approximate (``double`` stays correct).
    var truncated: Bool
    var double: Double

    /// Parses the JSON-number grammar over exactly `count` bytes, or returns `nil` (the strict form is used
    /// for numeric strings too: no spaces, no `+`, no leading `.`, no hex).
    static func parse(_ p: UnsafeRawPointer, count: Int) -> DecimalNumber? {
        if let simple = parseSimple(p, count: count) { return simple }
        return parseGeneral(p, count: count)
    }

    /// The common shapes, `-?digits(.digits)?` with at most 18 digits and no redundant leading zero, in one
    /// loop; anything else (exponents, long mantissas, malformed text) goes to ``parseGeneral(_:count:)``.
    @inline(__always)
    private static func parseSimple(_ p: UnsafeRawPointer, count: Int) -> DecimalNumber? {
        guard count > 0, count <= 20 else { return nil }
        var i = 0
        let negative = p.load(as: UInt8.self) == 0x2D
        if negative { i = 1 }
        guard i < count else { return nil }
        let first = p.load(fromByteOffset: i, as: UInt8.self)
        // "0" may only be followed by "." (or end); longer forms like "012" are the general parser's to refuse.
        if first == 0x30, i + 1 < count, p.load(fromByteOffset: i + 1, as: UInt8.self) != 0x2E { return nil }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var seenPoint = false
        while i < count {
            let b = p.load(fromByteOffset: i, as: UInt8.self)
            let d = b &- 0x30
            if d < 10 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                digits += 1
                if seenPoint { fractionDigits += 1 }
            } else if b == 0x2E, !seenPoint, digits > 0 {
                seenPoint = true
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0, digits <= 18, !seenPoint || fractionDigits > 0 else { return nil }
        var number = DecimalNumber(
            negative: negative, mantissa: mantissa, exponent: mantissa == 0 ? 0 : -fractionDigits, truncated: false,
            double: 0)
        if mantissa < 1 << 53 {  // Clinger: an exact mantissa and one correctly rounded division
            let m = Double(mantissa)
            let v = fractionDigits == 0 ? m : m / powersOfTen[fractionDigits]
            number.double = negative ? -v : v
        } else {
            number.double = number.computeDouble(p, count: count)
        }
        return number
    }

    private static func parseGeneral(_ p: UnsafeRawPointer, count: Int) -> DecimalNumber? {
        var i = 0
        @inline(__always) func byte(_ k: Int) -> UInt8 { p.load(fromByteOffset: k, as: UInt8.self) }
        guard count > 0 else { return nil }
        let negative = byte(0) == 0x2D
        if negative { i = 1 }
        guard i < count else { return nil }
        var mantissa: UInt64 = 0
        var digits = 0  // significant digits kept
        var exponent = 0
        var truncated = false
        @inline(__always) func take(_ d: UInt8, fraction: Bool) {
            if digits < 19 {
                if mantissa != 0 || d != 0 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    digits += 1
                }
                if fraction { exponent -= 1 }
            } else {
                if d != 0 { truncated = true }
                if !fraction { exponent += 1 }
            }
        }
        let first = byte(i)
        if first == 0x30 {
            i += 1
        } else if first &- 0x31 < 9 {
            while i < count, byte(i) &- 0x30 < 10 {
                take(byte(i) - 0x30, fraction: false)
                i += 1
            }
        } else {
            return nil
        }
        if i < count, byte(i) == 0x2E {
            i += 1
            guard i < count, byte(i) &- 0x30 < 10 else { return nil }
            while i < count, byte(i) &- 0x30 < 10 {
                take(byte(i) - 0x30, fraction: true)
                i += 1
            }
        }
        if i < count, byte(i) | 0x20 == 0x65 {
            i += 1
            var expNegative = false
            if i < count, byte(i) == 0x2B || byte(i) == 0x2D {
                expNegative = byte(i) == 0x2D
                i += 1
            }
            guard i < count, byte(i) &- 0x30 < 10 else { return nil }
            var e = 0
            while i < count, byte(i) &- 0x30 < 10 {
                if e < 1_000_000 { e = e * 10 + Int(byte(i) - 0x30) }
                i += 1
            }
            exponent += expNegative ? -e : e
        }
        guard i == count else { return nil }
        if mantissa == 0 { exponent = 0 }
        var number = DecimalNumber(
            negative: negative, mantissa: mantissa, exponent: exponent, truncated: truncated, double: 0)
        number.double = number.computeDouble(p, count: count)
        return number
    }

    private static let powersOfTen: [Double] = (0...22).map { k in
        var v = 1.0
        for _ in 0..<k { v *= 10 }
        return v
    }

    /// Exact when the mantissa fits in 53 bits and |exponent| ≤ 22 (Clinger's fast path: one correctly
    /// rounded multiplication or division); otherwise the standard library's correctly rounded parser.
    private func computeDouble(_ p: UnsafeRawPointer, count: Int) -> Double {
        if !truncated, mantissa < 1 << 53, exponent >= -22, exponent <= 22 {
            let m = Double(mantissa)
            let v = exponent >= 0 ? m * Self.powersOfTen[exponent] : m / Self.powersOfTen[-exponent]
            return negative ? -v : v
        }
        let text = String(decoding: UnsafeRawBufferPointer(start: p, count: count), as: UTF8.self)
        return Double(text) ?? .nan
    }

    /// The value as an `Int64` if it is integral and fits, else `nil`.
    var integer: Int64? {
        guard !truncated else { return nil }
        var m = mantissa
        if exponent >= 0 {
            for _ in 0..<exponent {
                let (r, o) = m.multipliedReportingOverflow(by: 10)
                if o { return nil }
                m = r
            }
        } else {
            for _ in 0..<(-exponent) {
                guard m % 10 == 0 else { return nil }
                m /= 10
            }
        }
        if negative { return m <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- m) : nil }
        return m <= UInt64(Int64.max) ? Int64(m) : nil
    }

    /// `value × 10^k` rounded to the nearest integer (halves away from zero), or `nil` when it overflows.
    func scaled(byPowerOfTen k: Int) -> Int64? {
        let e = exponent + k
        var m = mantissa
        if e >= 0 {
            guard e <= 19 || m == 0 else { return nil }
            for _ in 0..<e {
                let (r, o) = m.multipliedReportingOverflow(by: 10)
                if o { return nil }
                m = r
            }
        } else {
            if -e > 19 {
                m = 0
            } else {
                var divisor: UInt64 = 1
                for _ in 0..<(-e) { divisor *= 10 }
                let (q, r) = m.quotientAndRemainder(dividingBy: divisor)
                m = q + (r >= divisor - r ? 1 : 0)
            }
        }
        guard m <= UInt64(Int64.max) else { return nil }
        return negative ? -Int64(m) : Int64(m)
    }
}
