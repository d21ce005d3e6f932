/// A candidate's id: the constituency they stand in, `C`, and two or three digits: `NA-248-C07`.
///
/// Eight bytes, the number and its width kept in the three they need (``ConstituencyCode``).
public struct CandidateID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The constituency the candidate stands in.
    public let constituency: ConstituencyCode
    private let storedNumber: UInt16
    private let storedWidth: UInt8

    /// From 0 to 999.
    public var number: Int { Int(storedNumber) }
    /// How many digits the number is written with: 2 or 3.
    public var width: Int { Int(storedWidth) }

    static let allowed = "<constituency>-C<2 or 3 digits>, such as NA-248-C07"

    /// Candidate `number` of `constituency`, written with two digits (three above 99).
    public init(constituency: ConstituencyCode, number: Int) {
        precondition((0...999).contains(number), "candidate numbers have at most three digits")
        self.constituency = constituency
        self.storedNumber = UInt16(number)
        self.storedWidth = number > 99 ? 3 : 2
    }

    /// Parses `<NA-n or PS-n>-C<dd>` or `-C<ddd>`; nil for anything else.
    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard let dash = utf8.lastIndex(of: UInt8(ascii: "-")), dash > 3, dash + 1 < utf8.count,
            utf8[dash + 1] == UInt8(ascii: "C"),
            let constituency = ConstituencyCode(utf8: utf8[..<dash]),
            let number = CodeDigits.parse(utf8[(dash + 2)...], minDigits: 2, maxDigits: 3, leadingZeros: true)
        else { return nil }
        self.constituency = constituency
        self.storedNumber = UInt16(number)
        self.storedWidth = UInt8(utf8.count - dash - 2)
    }

    /// `NA-248-C07`.
    public var rawValue: String { constituency.rawValue + "-C" + CodeDigits.padded(number, width: width) }

    public var description: String { rawValue }

    public static func < (lhs: CandidateID, rhs: CandidateID) -> Bool {
        (lhs.constituency, lhs.number, lhs.width) < (rhs.constituency, rhs.number, rhs.width)
    }
}
