import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

/// Receipts and reference data are trusted only when signed by the server key pinned at enrollment.
@Suite struct ServerAnswerTests {
    typealias F = ClientFixture

    func receipt(
        signedBy key: SigningKey, events: [Event], device: DeviceID = F.key.publicKey.deviceID
    ) -> [String: JSONValue] {
        SignedObject.signed(
            [
                "type": "fieldsync.receipt.v1", "device": .string(device.rawValue),
                "events": .array(
                    events.enumerated().map {
                        [
                            "id": .string($0.element.id.description), "seq": .integer($0.element.seq),
                            "outcome": "appended",
                            "position": .integer(Int64(100 + $0.offset)),
                        ]
                    }),
                "head": ["position": 101, "chain": .string(SHA256Digest.zero.hex)],
                "time": "2024-02-08T08:00:00.000000Z",
            ], with: key)
    }

    func events(_ count: Int) throws -> [Event] {
        var chain = DeviceChain(device: F.key.publicKey.deviceID)
        return try (0..<count).map { try chain.sign(F.turnout($0), key: F.key) }
    }

    @Test func aReceiptSignedByThePinnedKeyVouchesForItsEvents() throws {
        let events = try events(2)
        let delivered = try ReceiptBook.verify(
            receipt(signedBy: F.election.serverKey, events: events), serverKey: F.election.serverKey.publicKey,
            device: F.key.publicKey.deviceID, localID: { seq in events.first { $0.seq == seq }?.id })
        #expect(delivered.map(\.seq) == [1, 2])
        #expect(delivered.map(\.position) == [100, 101])
    }

    @Test func anyOtherReceiptIsRefused() throws {
        let events = try events(2)
        let pinned = F.election.serverKey.publicKey
        let device = F.key.publicKey.deviceID
        let lookup: (Int64) -> EventID? = { seq in events.first { $0.seq == seq }?.id }
        #expect(throws: ReceiptProblem.self) {
            try ReceiptBook.verify(
                receipt(signedBy: SigningKey.generate(), events: events), serverKey: pinned, device: device,
                localID: lookup)
        }
        var changed = receipt(signedBy: F.election.serverKey, events: events)
        changed["time"] = "2024-02-08T09:00:00.000000Z"
        #expect(throws: ReceiptProblem.self) {
            try ReceiptBook.verify(changed, serverKey: pinned, device: device, localID: lookup)
        }
        #expect(throws: ReceiptProblem.self) {
            try ReceiptBook.verify(
                receipt(signedBy: F.election.serverKey, events: events), serverKey: pinned, device: device,
                localID: { _ in EventID.random() })
        }
    }

    @Test func referenceDataIsVerifiedLineByLine() throws {
        let reference = try CachedReference.verify(F.referenceBody, serverKey: F.election.serverKey.publicKey)
        #expect(reference.events.count == F.election.reference.count)
        #expect(reference.data.stations.count == F.election.stations.count)
        #expect(throws: ReferenceProblem.self) {
            try CachedReference.verify(F.referenceBody, serverKey: SigningKey.generate().publicKey)
        }
    }

    @Test func aChangedReferenceLineIsRefused() throws {
        var text = String(decoding: F.referenceBody, as: UTF8.self)
        let station = F.election.stations[0]
        text = text.replacingOccurrences(
            of: "\"total\":\(station.voters.total)", with: "\"total\":\(station.voters.total + 1)")
        #expect(throws: ReferenceProblem.self) {
            try CachedReference.verify(Array(text.utf8), serverKey: F.election.serverKey.publicKey)
        }
    }

    @Test func theCachedCopyLoadsBackWithThisDevicesEnrollment() throws {
        let home = try F.makeHome()
        let loaded = try #require(try CachedReference.load(home: home))
        #expect(loaded.events == F.election.reference)
        let data = loaded.data(for: F.profile, key: F.key.publicKey)
        #expect(data.devices[F.key.publicKey.deviceID]?.role == .reporter)
    }

    @Test func problemDetailsAreRead() {
        let body = CanonicalJSON.bytes([
            "type": "urn:fieldsync:problem:device-revoked", "title": "The device was revoked", "status": 403,
            "detail": "revoked: lost",
        ])
        let problem = ProblemDetails(body: body)
        #expect(problem?.kind == "device-revoked")
        #expect(problem?.detail == "revoked: lost")
    }
}
