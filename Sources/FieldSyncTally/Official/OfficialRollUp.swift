import FieldSyncModel

/// The official figures of an assembly's seats in an area, counted: the newsroom's summary of where the
/// commission and the field part ways.
public struct OfficialRollUp: Hashable, Sendable, CanonicalPart {
    /// Seats with official figures (a standing Form-47 or 49, or a station's official Form-45).
    public private(set) var seats = 0
    /// Seats where a station's official Form-45 differs from a field report, or whose standing Form-47 or 49
    /// differs from the field's counted sum while the field counts every station of the seat.
    public private(set) var seatsDiffering = 0
    /// Seats with a `field-changes-winner` flag.
    public private(set) var seatsWinnerChanged = 0
    /// The seats' stations whose official Form-45 differs from a field report.
    public private(set) var stationsDiffering = 0

    /// Adds a seat's official figures; with `sign` -1, takes them back.
    mutating func add(_ tally: ConstituencyTally, sign: Int = 1) {
        guard let official = tally.official else { return }
        seats += sign
        let complete = tally.stations.counted == tally.stations.total
        if official.form45.differing > 0 || (complete && official.seatForms.contains { !$0.result.field.isEqual }) {
            seatsDiffering += sign
        }
        if tally.flags.contains(where: { $0.code == .fieldChangesWinner }) { seatsWinnerChanged += sign }
        stationsDiffering += sign * official.form45.differing
    }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("seats", seats)
            w.member("seatsDiffering", seatsDiffering)
            w.member("seatsWinnerChanged", seatsWinnerChanged)
            w.member("stationsDiffering", stationsDiffering)
        }
    }
}
