/// A polling station's code: its National Assembly seat and its number in that seat, three or four
/// digits with leading zeros: `NA-248-017`.
///
/// Eight bytes, the number and its width kept in the three they need: codes are the keys of most of
/// what a server holds (``ConstituencyCode``).
public struct StationCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The National Assembly seat the station votes in.
    public let national: ConstituencyCode
    private let storedNumber: UInt16
    private let storedWidth: UInt8

    /// From 0 to 9999.
    public var number: Int { Int(storedNumber) }
    /// How many digits the number is written with: 3 or 4.
    public var width: Int { Int(storedWidth) }

    static let allowed = "NA-<n>-<station number of 3 or 4 digits>, such as NA-248-017"

    /// The code of station `number` of `national`, written with three digits (four above 999).
    public init(national: ConstituencyCode, number: Int) {
        precondition(national.assembly == .national, "station codes start with a National Assembly seat")
        precondition((0...9999).contains(number), "station numbers have at most four digits")
        self.national = national
        self.storedNumber = UInt16(number)
        self.storedWidth = number > 999 ? 4 : 3
    }

    /// Parses `NA-<n>-<ddd>` or `NA-<n>-<dddd>`; nil for anything else.
    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard let dash = utf8.lastIndex(of: UInt8(ascii: "-")), dash > 3,
            let national = ConstituencyCode(utf8: utf8[..<dash]),
            national.assembly == .national,
            let number = CodeDigits.parse(utf8[(dash + 1)...], minDigits: 3, maxDigits: 4, leadingZeros: true)
        else { return nil }
        self.national = national
        self.storedNumber = UInt16(number)
        self.storedWidth = UInt8(utf8.count - dash - 1)
    }

    /// `NA-248-017`.
    public var rawValue: String { national.rawValue + "-" + CodeDigits.padded(number, width: width) }

    public var description: String { rawValue }

    public static func < (lhs: StationCode, rhs: StationCode) -> Bool {
        (lhs.national, lhs.number, lhs.width) < (rhs.national, rhs.number, rhs.width)
    }
}
