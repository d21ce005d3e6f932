import FieldSyncModel
import FieldSyncStore
import FieldSyncTestSupport
import Testing

/// What the append refuses under its lock: every event of a revoked device, and the recording of
/// conflicts beyond a device's allowance.
@Suite struct AppendRefusalTests {
    /// The server's revocation of `device`, as a record of the `server` device.
    static func revocation(of device: String, sequence: Int64, previous: SHA256Digest) -> EventRecord {
        var record = RecordFactory.make(deviceID: "server", sequence: sequence, previousHash: previous, station: nil)
        record.type = EventType.deviceRevoked.rawValue
        record.subject = device
        record.payload = #"{"device": "\#(device)", "reason": "laptop stolen"}"#
        return record
    }

    @Test func aBatchWithAnEventOfARevokedDeviceIsRefusedWholeAndStoresNothing() async throws {
        let store = EventStore(pool: try await TestCluster.shared.makeMigratedPool())
        var stolen = RecordFactory()
        var honest = RecordFactory()
        _ = try await store.append([stolen.next(), honest.next()])
        _ = try await store.append([Self.revocation(of: stolen.deviceID, sequence: 1, previous: GlobalChain.genesis)])
        let head = try await store.head()

        let honestSecond = honest.next()
        let refused = await #expect(throws: DevicesRevoked.self) {
            try await store.append([honestSecond, stolen.next()])
        }
        #expect(refused?.devices == [stolen.deviceID])
        #expect(try await store.head() == head)
        await #expect(throws: DevicesRevoked.self) {
            try await store.append([stolen.next()]) { _, _ in Issue.record("ran before the commit of a refused batch") }
        }
        #expect(try await store.head() == head)

        // The other device's event, refused with the batch, is stored on its own.
        let result = try await store.append([honestSecond])
        #expect(result.outcomes == [.appended(position: head.position + 1)])
    }

    @Test func conflictsBeyondADevicesAllowanceAreAnsweredButNotRecorded() async throws {
        let store = EventStore(pool: try await TestCluster.shared.makeMigratedPool())
        var noisy = RecordFactory()
        var quiet = RecordFactory()
        let first = noisy.next()
        let quietFirst = quiet.next()
        _ = try await store.append([first, quietFirst])
        // The same sequence number with other content, five times: five conflicts.
        let rivals = (0..<5).map { index in
            RecordFactory.make(
                deviceID: noisy.deviceID, sequence: 1, previousHash: GlobalChain.genesis,
                payload: #"{"votesCast": \#(100 + index)}"#)
        }
        let quietRival = RecordFactory.make(
            deviceID: quiet.deviceID, sequence: 1, previousHash: GlobalChain.genesis, payload: #"{"votesCast": 7}"#)
        let result = try await store.append(rivals + [quietRival], conflictsKeptPerDevice: 3)
        #expect(result.outcomes.allSatisfy { if case .conflict = $0 { true } else { false } })
        #expect(result.conflictsNotRecorded == 2)
        #expect(try await store.conflicts(device: noisy.deviceID).count == 3)
        #expect(try await store.conflicts(device: quiet.deviceID).count == 1)

        // Once a device has its allowance, none of its conflicts is recorded; without a limit, all are.
        let more = try await store.append([rivals[0]], conflictsKeptPerDevice: 3)
        #expect(more.conflictsNotRecorded == 1)
        #expect(try await store.conflicts(device: noisy.deviceID).count == 3)
        let unlimited = try await store.append([rivals[1]])
        #expect(unlimited.conflictsNotRecorded == 0)
        #expect(try await store.conflicts(device: noisy.deviceID).count == 4)
    }
}
