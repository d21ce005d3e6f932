/// Which assembly a constituency elects a member to.
public enum Assembly: String, CaseIterable, Sendable, Hashable {
    /// The National Assembly: seats `NA-<n>`.
    case national
    /// A provincial assembly (the Sindh Assembly for Karachi): seats `PS-<n>`.
    case provincial

    /// The code prefix of this assembly's seats: `NA` or `PS`.
    public var prefix: String { self == .national ? "NA" : "PS" }
}

/// A constituency's code: `NA-<n>` for the National Assembly, `PS-<n>` for the Sindh Assembly,
/// with `n` a positive integer written without leading zeros (`NA-248`, `PS-84`).
public struct ConstituencyCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let assembly: Assembly
    public let number: Int

    static let allowed = "NA-<n> or PS-<n>, n from 1 to 9999 without leading zeros, such as NA-248"

    public init(assembly: Assembly, number: Int) {
        precondition((1...9999).contains(number), "constituency numbers run from 1 to 9999")
        self.assembly = assembly
        self.number = number
    }

    /// Parses `NA-<n>` or `PS-<n>`; nil for anything else.
    public init?(_ text: some StringProtocol) {
        self.init(utf8: Array(text.utf8)[...])
    }

    /// Parses the code from its UTF-8 bytes.
    init?(utf8: ArraySlice<UInt8>) {
        let start = utf8.startIndex
        guard utf8.count >= 4, utf8[start + 2] == UInt8(ascii: "-") else { return nil }
        switch (utf8[start], utf8[start + 1]) {
        case (UInt8(ascii: "N"), UInt8(ascii: "A")): assembly = .national
        case (UInt8(ascii: "P"), UInt8(ascii: "S")): assembly = .provincial
        default: return nil
        }
        guard let number = CodeDigits.parse(utf8[(start + 3)...], minDigits: 1, maxDigits: 4, leadingZeros: false),
            number >= 1
        else { return nil }
        self.number = number
    }

    /// `NA-248`.
    public var rawValue: String { assembly.prefix + "-" + String(number) }

    public var description: String { rawValue }

    /// National seats first, then by number.
    public static func < (lhs: ConstituencyCode, rhs: ConstituencyCode) -> Bool {
        (lhs.assembly == .national ? 0 : 1, lhs.number) < (rhs.assembly == .national ? 0 : 1, rhs.number)
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
