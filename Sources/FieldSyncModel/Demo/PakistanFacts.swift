/// Known facts about Pakistan's general election of 8 February 2024, copied from the project's reference
/// notes (ECP delimitation of 2023 and electoral rolls): each area's seats and registered voters, the
/// stations nationally and in Sindh, the seat not polled. The national demo invents everything else.
public enum PakistanFacts {
    /// A province (or Islamabad Capital Territory): its National Assembly seats, its provincial assembly's
    /// seats if it has one, and its registered voters.
    public struct Area: Sendable {
        public let name: String
        public let nationalSeats: ClosedRange<Int>
        /// The prefix of its provincial assembly's seats and their numbers; nil for Islamabad, which has no
        /// provincial assembly.
        public let provincial: (prefix: SeatPrefix, seats: ClosedRange<Int>, assembly: String)?
        public let registeredVoters: Int
    }

    /// In the order of their National Assembly seats.
    public static let areas: [Area] = [
        Area(
            name: "Khyber Pakhtunkhwa", nationalSeats: 1...45,
            provincial: (.pk, 1...115, "Provincial Assembly of Khyber Pakhtunkhwa"), registeredVoters: 21_928_119),
        Area(name: "Islamabad", nationalSeats: 46...48, provincial: nil, registeredVoters: 1_083_029),
        Area(
            name: "Punjab", nationalSeats: 49...189, provincial: (.pp, 1...297, "Provincial Assembly of the Punjab"),
            registeredVoters: 73_207_896),
        Area(
            name: "Sindh", nationalSeats: 190...250, provincial: (.ps, 1...130, "Provincial Assembly of Sindh"),
            registeredVoters: 26_994_769),
        Area(
            name: "Balochistan", nationalSeats: 251...266,
            provincial: (.pb, 1...51, "Provincial Assembly of Balochistan"), registeredVoters: 5_371_947),
    ]

    /// National Assembly general seats: 266.
    public static let nationalSeats = 266
    /// Provincial assemblies' general seats: 593.
    public static let provincialSeats = 593
    /// Registered voters nationally: the areas' sum.
    public static let registeredVoters = 128_585_760
    /// Polling stations nationally.
    public static let pollingStations = 90_675
    /// Polling stations in Sindh (Karachi's 5,342 among them); other areas' counts are not known.
    public static let sindhPollingStations = 19_006
    /// NA-8 (Bajaur) was not polled on the day: a candidate had died.
    public static let postponed: Set<ConstituencyCode> = [ConstituencyCode(prefix: .na, number: 8)]
}
