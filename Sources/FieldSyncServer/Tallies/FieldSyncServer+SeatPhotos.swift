import FieldSyncModel
import FieldSyncProjection
import FieldSyncStore
import FieldSyncTally
import Hummingbird

extension FieldSyncServer {
    /// `GET /v1/tallies/{constituency}/photos` → which of the seat's reporting stations have their Form-45
    /// photo on the server, which wait for it, and which have none (``SeatPhotos``), as the projector's
    /// station summaries and the photos stored stand now.
    func constituencyPhotos(code text: String) async throws -> Response {
        let code = try Self.constituencyCode(text)
        let stations = await reference.snapshot.data.stationsByConstituency[code] ?? []
        let (snapshot, _) = try await seatSnapshot(code, stations: stations)
        let named = SeatPhotos.named(in: try Self.keyed(snapshot.stationSummaries), seat: code)
        let stored = try await photos.stored(among: Array(Set(named.values.joined())))
        return JSONResponse.make(SeatPhotos(constituency: code, named: named, stored: stored).jsonValue)
    }
}
