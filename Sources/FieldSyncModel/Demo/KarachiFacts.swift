/// Known facts about Karachi's general election of 8 February 2024, copied from the project's
/// reference notes (ECP delimitation and figures). The demo generator invents everything else.
public enum KarachiFacts {
    /// A district of Karachi and its registered voters.
    public struct District: Hashable, Sendable {
        public let name: String
        public let registeredVoters: Int
        /// Its Sindh Assembly seats. Keamari and West share PS-111…PS-121; the split between them
        /// is not known, and this one (Keamari PS-111…PS-115, West PS-116…PS-121) is invented.
        public let provincialSeats: ClosedRange<Int>
        /// Whether ``provincialSeats`` is an invented split.
        public let provincialSplitInvented: Bool
    }

    /// A National Assembly seat: code, ECP-pattern name, district.
    public struct NationalSeat: Hashable, Sendable {
        public let number: Int
        public let name: String
        public let district: String

        public var code: ConstituencyCode { ConstituencyCode(prefix: .na, number: number) }
    }

    public static let districts: [District] = [
        District(name: "Malir", registeredVoters: 824_873, provincialSeats: 84...89, provincialSplitInvented: false),
        District(
            name: "Korangi", registeredVoters: 1_512_026, provincialSeats: 90...96, provincialSplitInvented: false),
        District(name: "East", registeredVoters: 1_687_810, provincialSeats: 97...105, provincialSplitInvented: false),
        District(
            name: "South", registeredVoters: 1_270_564, provincialSeats: 106...110, provincialSplitInvented: false),
        District(name: "Keamari", registeredVoters: 891_214, provincialSeats: 111...115, provincialSplitInvented: true),
        District(name: "West", registeredVoters: 954_828, provincialSeats: 116...121, provincialSplitInvented: true),
        District(
            name: "Central", registeredVoters: 2_144_926, provincialSeats: 122...130, provincialSplitInvented: false),
    ]

    public static let nationalSeats: [NationalSeat] = [
        NationalSeat(number: 229, name: "Karachi Malir-I", district: "Malir"),
        NationalSeat(number: 230, name: "Karachi Malir-II", district: "Malir"),
        NationalSeat(number: 231, name: "Karachi Malir-III", district: "Malir"),
        NationalSeat(number: 232, name: "Karachi Korangi-I", district: "Korangi"),
        NationalSeat(number: 233, name: "Karachi Korangi-II", district: "Korangi"),
        NationalSeat(number: 234, name: "Karachi Korangi-III", district: "Korangi"),
        NationalSeat(number: 235, name: "Karachi East-I", district: "East"),
        NationalSeat(number: 236, name: "Karachi East-II", district: "East"),
        NationalSeat(number: 237, name: "Karachi East-III", district: "East"),
        NationalSeat(number: 238, name: "Karachi East-IV", district: "East"),
        NationalSeat(number: 239, name: "Karachi South-I", district: "South"),
        NationalSeat(number: 240, name: "Karachi South-II", district: "South"),
        NationalSeat(number: 241, name: "Karachi South-III", district: "South"),
        NationalSeat(number: 242, name: "Karachi Keamari-I", district: "Keamari"),
        NationalSeat(number: 243, name: "Karachi Keamari-II", district: "Keamari"),
        NationalSeat(number: 244, name: "Karachi West-I", district: "West"),
        NationalSeat(number: 245, name: "Karachi West-II", district: "West"),
        NationalSeat(number: 246, name: "Karachi West-III", district: "West"),
        NationalSeat(number: 247, name: "Karachi Central-I", district: "Central"),
        NationalSeat(number: 248, name: "Karachi Central-II", district: "Central"),
        NationalSeat(number: 249, name: "Karachi Central-III", district: "Central"),
        NationalSeat(number: 250, name: "Karachi Central-IV", district: "Central"),
    ]

    /// Registered voters in all of Karachi.
    public static let registeredVoters = 9_286_241
    /// Polling stations in Karachi (in 2,779 buildings).
    public static let pollingStations = 5342
    /// Candidates for Karachi's 22 National Assembly seats.
    public static let nationalCandidates = 581
    /// The only seats whose figures are known: NA-235 has 96 stations and 170,176 voters.
    public static let na235 = (stations: 96, voters: 170_176)
    /// NA-248 has 599,811 registered voters.
    public static let na248Voters = 599_811

    /// Parties and groups contesting in Karachi, by the codes used in events.
    /// PTI's candidates stood as independents backed by PTI; MQM-London could back independents.
    public static let parties = ["MQM-P", "PPP", "JI", "PML-N", "TLP", "MQM-H", "ANP"]
    public static let backingParties = ["PTI", "MQM-L"]
}
