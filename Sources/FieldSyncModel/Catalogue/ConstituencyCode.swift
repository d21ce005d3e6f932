/// Which kind of assembly a constituency elects a member to: the `assembly` member of
/// `fieldsync.constituency.defined.v1`.
public enum Assembly: String, CaseIterable, Sendable, Hashable {
    /// The National Assembly: seats `NA-<n>`.
    case national
    /// A provincial assembly: seats `PP-<n>` (Punjab), `PS-<n>` (Sindh), `PK-<n>` (Khyber Pakhtunkhwa)
    /// or `PB-<n>` (Balochistan).
    case provincial
}

/// One of the five assemblies a general election in Pakistan fills, named by the prefix of its seats'
/// codes. Seats sort in this order: the National Assembly first, then the provincial assemblies.
public enum SeatPrefix: String, CaseIterable, Sendable, Hashable, Comparable {
    /// The National Assembly.
    case na = "NA"
    /// The Provincial Assembly of the Punjab.
    case pp = "PP"
    /// The Provincial Assembly of Sindh.
    case ps = "PS"
    /// The Provincial Assembly of Khyber Pakhtunkhwa.
    case pk = "PK"
    /// The Provincial Assembly of Balochistan.
    case pb = "PB"

    /// National for `NA`, provincial for the rest.
    public var assembly: Assembly { self == .na ? .national : .provincial }

    /// Where this prefix sorts: `NA` 0, `PP` 1, `PS` 2, `PK` 3, `PB` 4.
    var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: SeatPrefix, rhs: SeatPrefix) -> Bool { lhs.rank < rhs.rank }

    /// The prefixes written for people: `NA, PP, PS, PK or PB`.
    static let listed = "NA, PP, PS, PK or PB"
}

/// A constituency's code: its assembly's prefix (``SeatPrefix``: `NA` for the National Assembly, `PP`,
/// `PS`, `PK` or `PB` for the provincial assemblies of the Punjab, Sindh, Khyber Pakhtunkhwa and
/// Balochistan), a hyphen and `n`, a positive integer written without leading zeros (`NA-248`, `PS-84`).
/// Codes sort by prefix (``SeatPrefix`` order: national first), then by number.
///
/// Four bytes: the number is kept in the two it needs. Codes are the keys of most of what a server holds
/// (90,675 stations and their seats nationally, twice: its reference data and its projector's), and the
/// station and candidate codes that hold one are eight bytes instead of thirty-two.
public struct ConstituencyCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let prefix: SeatPrefix
    private let storedNumber: UInt16

    /// From 1 to 9999.
    public var number: Int { Int(storedNumber) }

    /// The form of a seat code, for messages that say what is allowed.
    public static let allowed =
        "NA-<n>, PP-<n>, PS-<n>, PK-<n> or PB-<n>, n from 1 to 9999 without leading zeros, such as NA-248"

    public init(prefix: SeatPrefix, number: Int) {
        precondition((1...9999).contains(number), "constituency numbers run from 1 to 9999")
        self.prefix = prefix
        self.storedNumber = UInt16(number)
    }

    /// Parses `NA-<n>`, `PP-<n>`, `PS-<n>`, `PK-<n>` or `PB-<n>`; nil for anything else.
    public init?(_ text: some StringProtocol) {
        self.init(utf8: Array(text.utf8)[...])
    }

    /// Parses the code from its UTF-8 bytes.
    init?(utf8: ArraySlice<UInt8>) {
        let start = utf8.startIndex
        guard utf8.count >= 4, utf8[start + 2] == UInt8(ascii: "-"),
            let prefix = SeatPrefix(rawValue: String(decoding: utf8[start..<(start + 2)], as: UTF8.self)),
            let number = CodeDigits.parse(utf8[(start + 3)...], minDigits: 1, maxDigits: 4, leadingZeros: false),
            number >= 1
        else { return nil }
        self.prefix = prefix
        self.storedNumber = UInt16(number)
    }

    /// The kind of assembly: national for `NA`, provincial for the rest.
    public var assembly: Assembly { prefix.assembly }

    /// `NA-248`.
    public var rawValue: String { prefix.rawValue + "-" + String(number) }

    public var description: String { rawValue }

    /// National seats first, then each provincial assembly's (`PP`, `PS`, `PK`, `PB`), each by number.
    public static func < (lhs: ConstituencyCode, rhs: ConstituencyCode) -> Bool {
        (lhs.prefix.rank, lhs.number) < (rhs.prefix.rank, rhs.number)
    }
}

/// The digits inside codes.
enum CodeDigits {
    static func parse(_ digits: ArraySlice<UInt8>, minDigits: Int, maxDigits: Int, leadingZeros: Bool) -> Int? {
        guard (minDigits...maxDigits).contains(digits.count), digits.allSatisfy(\.isASCIIDigit) else { return nil }
        if !leadingZeros && digits.count > 1 && digits.first == UInt8(ascii: "0") { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    static func padded(_ number: Int, width: Int) -> String {
        let digits = String(number)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
