import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation

/// A small election (NA-235's stations and candidates), a reporter's key enrolled in it, and the
/// context a `record` command would have.
struct ClientFixture: Sendable {
    static let election = SmallElection(seats: ["NA-235"])
    static let key = try! SigningKey(rawRepresentation: Array(repeating: 0x42, count: 32))
    static let profile = Profile(
        server: "http://127.0.0.1:1", device: key.publicKey.deviceID, name: "Test Reporter", role: .reporter,
        token: "token", serverKey: election.serverKey.publicKey, serverName: "test server", enrolledAt: 1)

    static var reference: ReferenceData {
        CachedReference(events: election.reference).data(for: profile, key: key.publicKey)
    }

    static var station: PollingStation { election.stations[0] }
    static var seat: ConstituencyCode { station.national }
    static var candidates: [Candidate] { election.candidates(in: seat) }

    /// Polling day, 13:05 in Karachi.
    static let now = Timestamp(rfc3339: "2024-02-08T13:05:00+05:00")!

    static func context(lastStation: StationCode? = station.code, now: Timestamp = now) -> RecordContext {
        RecordContext(reference: reference, calendar: KarachiDemo.election.calendar, now: now, lastStation: lastStation)
    }

    /// The reference data as `GET /v1/reference` serves it: export lines of the server's events.
    static var referenceBody: [UInt8] {
        var out = [UInt8]()
        var chain = GlobalChain.genesis
        for (index, event) in election.reference.enumerated() {
            let stored = StoredEvent(
                event: event, position: Int64(index + 1), received: Timestamp(seconds: 1_706_000_000), previous: chain)
            chain = stored.chain
            stored.writeLine(into: &out)
        }
        return out
    }

    /// A fresh home folder with a profile, the device key and the reference data.
    static func makeHome() throws -> ClientHome {
        let home = ClientHome(path: try makeTemporaryDirectory("fieldsync-client") + "/home")
        let store = ProfileStore(home: home)
        try store.makeHome()
        try store.createDeviceKey(key)
        try store.save(profile)
        try CachedReference.save(referenceBody, home: home)
        return home
    }

    static func turnout(_ votes: Int, minute: Int = 0) -> EventDraft {
        let time = ObservedTime(
            Timestamp(rfc3339: "2024-02-08T10:00:00+05:00")!.adding(minutes: Int64(minute)), offsetMinutes: 300)
        return EventDraft(
            payload: .turnoutCounted(TurnoutCount(asOf: time, votesCast: votes)), subject: station.code.rawValue,
            time: time)
    }
}
