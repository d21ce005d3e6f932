extension Timestamp {
    /// Parses an RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of up to six
    /// digits, and `Z` or a `±HH:MM` offset. The `T` and `Z` may be lowercase, as RFC 3339 allows.
    /// Returns nil for anything else, including leap seconds and fractions finer than a microsecond.
    public init?(rfc3339 text: some StringProtocol) {
        guard let parsed = RFC3339.parse(text) else { return nil }
        self = parsed.instant
    }

    /// The offset from UTC, in minutes, written in an RFC 3339 date-time (`Z` is 0).
    public static func offsetMinutes(inRFC3339 text: some StringProtocol) -> Int? {
        RFC3339.parse(text)?.offsetMinutes
    }

    /// This instant in UTC with exactly six fraction digits: `2024-02-08T03:00:00.000000Z`.
    /// This is the form the server writes for times it adds, such as the received time.
    public var rfc3339UTC: String {
        rfc3339(offsetMinutes: 0, fractionDigits: 6)
    }

    /// This instant written at a given offset from UTC, with 0, 3 or 6 fraction digits.
    /// An offset of zero is written `Z`.
    public func rfc3339(offsetMinutes: Int, fractionDigits: Int = 0) -> String {
        let local = microseconds + Int64(offsetMinutes) * 60_000_000
        let micros = Int(((local % 1_000_000) + 1_000_000) % 1_000_000)
        let totalSeconds = (local - Int64(micros)) / 1_000_000
        let days = Int(totalSeconds >= 0 ? totalSeconds / 86_400 : (totalSeconds - 86_399) / 86_400)
        let secondOfDay = Int(totalSeconds - Int64(days) * 86_400)
        let (year, month, day) = CivilDate.fromDays(days)
        var out = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        out += "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        switch fractionDigits {
        case 6: out += "." + pad(micros, 6)
        case 3: out += "." + pad(micros / 1000, 3)
        default: break
        }
        if offsetMinutes == 0 {
            out += "Z"
        } else {
            let sign = offsetMinutes < 0 ? "-" : "+"
            let magnitude = abs(offsetMinutes)
            out += sign + pad(magnitude / 60, 2) + ":" + pad(magnitude % 60, 2)
        }
        return out
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// Conversions between proleptic Gregorian dates and days since 1970-01-01
/// (Howard Hinnant's `days_from_civil` and `civil_from_days`).
enum CivilDate {
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func fromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// A small, strict RFC 3339 parser over UTF-8 bytes.
enum RFC3339 {
    struct Parsed {
        var instant: Timestamp
        var offsetMinutes: Int
    }

    static func parse(_ text: some StringProtocol) -> Parsed? {
        Hex.withUTF8(of: text) { parse($0) }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Parsed? {
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<count {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                index += 1
            }
            return value
        }
        func expect(_ characters: UInt8...) -> Bool {
            guard index < bytes.count, characters.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), expect(UInt8(ascii: "-")),
            let month = digits(2), expect(UInt8(ascii: "-")),
            let day = digits(2), expect(UInt8(ascii: "T"), UInt8(ascii: "t")),
            let hour = digits(2), expect(UInt8(ascii: ":")),
            let minute = digits(2), expect(UInt8(ascii: ":")),
            let second = digits(2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysInMonth(year: year, month: month),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var micros = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var count = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                guard count < 6 else { return nil }
                micros = micros * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                count += 1
                index += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<6 { micros *= 10 }
        }
        var offset = 0
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let negative = bytes[index] == UInt8(ascii: "-")
            index += 1
            guard let hours = digits(2), expect(UInt8(ascii: ":")), let minutes = digits(2), hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 60 + minutes) * (negative ? -1 : 1)
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset * 60)
        return Parsed(instant: Timestamp(microseconds: seconds * 1_000_000 + Int64(micros)), offsetMinutes: offset)
    }
}
