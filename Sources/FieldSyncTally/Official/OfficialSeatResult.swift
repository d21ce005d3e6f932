import FieldSyncModel

/// The commission's Form-47 or Form-49 for a seat, as it stands (the latest import in the server's sequence),
/// compared with the sum of the field's counted stations and with the sum of the official Form-45s of the
/// seat's stations.
public struct OfficialSeatResult: Hashable, Sendable, CanonicalPart {
    /// The import that stands.
    public let event: EventID
    /// Earlier imports of the same form for the seat, in the server's sequence.
    public let superseded: [EventID]
    public let figures: Form45Figures
    public let fileSha256: SHA256Digest
    public let sourceURL: String?
    /// The field's counted stations summed, minus the official figures.
    public let field: OfficialSeatComparison
    /// The official Form-45s of the seat's stations summed, minus the official figures; nil while no station
    /// has one.
    public let form45: OfficialSeatComparison?

    /// The standing import among `records` (all of one form for this seat), compared with the `field`'s
    /// counted sum over `countedStations` and with the sum of the official Form-45s.
    init(_ records: [OfficialRecord], field: Form45Figures, countedStations: Int, form45: OfficialForm45Sum) {
        let ordered = records.sorted { $0.seq < $1.seq }
        let standing = ordered[ordered.count - 1]
        event = standing.id
        superseded = ordered.dropLast().map(\.id)
        figures = Form45Figures(
            votes: standing.result.votes, rejected: standing.result.rejected, totalCast: standing.result.totalCast)
        fileSha256 = standing.result.fileSha256
        sourceURL = standing.result.sourceURL
        self.field = OfficialSeatComparison(field, stations: countedStations, official: standing.result)
        self.form45 =
            form45.stations > 0
            ? OfficialSeatComparison(form45.figures, stations: form45.stations, official: standing.result) : nil
    }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("event", event)
            w.member("field", field)
            w.member("fileSha256", fileSha256.hex)
            w.member("form45", form45)
            w.member("rejected", figures.rejected)
            w.member("sourceUrl", sourceURL)
            w.member("superseded", superseded)
            w.member("totalCast", figures.totalCast)
            w.member("votes") { $0.votes(figures.votes) }
        }
    }
}
