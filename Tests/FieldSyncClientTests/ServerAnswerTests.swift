import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

@testable import FieldSyncClient

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

    /// A batch refused whole (422 `batch-invalid`) carries each event's result: read as a push's results,
    /// they stop the sync as `invalid` with every error, as a 200 answer with `invalid` results does.
    @Test func aBatchRefusedWholeReadsAsInvalidResults() throws {
        let error: JSONValue = [
            "field": "signature", "code": "bad-signature", "problem": "not a valid Ed25519 signature",
            "allowed": "the signature by the key enrolled for this device",
        ]
        let body = CanonicalJSON.bytes([
            "type": "urn:fieldsync:problem:batch-invalid", "title": "No event of the batch can be stored",
            "status": 422, "detail": "the batch's only event cannot be stored, so nothing was",
            "results": [["index": 0, "id": "e1", "seq": 3, "outcome": "invalid", "errors": [error]]],
        ])
        let problem = try #require(ProblemDetails(body: body))
        #expect(problem.kind == .batchInvalid)
        let refused = FieldError(
            field: "signature", code: .badSignature, problem: "not a valid Ed25519 signature",
            allowed: "the signature by the key enrolled for this device")
        #expect(problem.results == [PushResult(index: 0, id: "e1", seq: 3, outcome: .invalid([refused]))])

        var cursor = try SyncCursor.start(
            last: 3, hash: { _ in nil }, server: DeviceHead(seq: 2, hash: .zero, position: 2), receipted: 2
        ).get()
        #expect(
            cursor.take(problem.results, for: 3...3) == .invalid([RefusedEvent(seq: 3, id: "e1", errors: [refused])]))
        #expect(cursor.acknowledged == 2)
    }

    @Test func problemDetailsAreRead() {
        let body = CanonicalJSON.bytes([
            "type": "urn:fieldsync:problem:device-revoked", "title": "The device was revoked", "status": 403,
            "detail": "revoked: lost",
        ])
        let problem = ProblemDetails(body: body)
        #expect(problem?.kind == .deviceRevoked)
        #expect(problem?.detail == "revoked: lost")
    }

    /// `POST /v1/enroll` as the server answers it, with and without a token lifetime.
    @Test func theEnrollmentAnswerIsRead() throws {
        let key = F.election.serverKey.publicKey
        let answer: JSONValue = [
            "device": .string(F.key.publicKey.deviceID.rawValue), "role": "reporter", "name": "Sana Baloch",
            "token": "tok/en", "tokenExpires": "2024-02-11T08:00:00.000000Z", "position": 12,
            "server": ["publicKey": .string(key.base64URL), "name": "FieldSync Karachi", "identityPosition": 1],
        ]
        let enrolled = try ClientJSON.decode(ServerAPI.Enrolled.self, from: CanonicalJSON.bytes(answer))
        #expect(enrolled.device == F.key.publicKey.deviceID)
        #expect(enrolled.role == .reporter)
        #expect(enrolled.token == "tok/en")
        #expect(enrolled.tokenExpires == Timestamp(rfc3339: "2024-02-11T08:00:00Z"))
        #expect(enrolled.position == 12)
        #expect(enrolled.serverKey == key)
        #expect(enrolled.serverName == "FieldSync Karachi")

        var never = try #require(answer.objectValue)
        never["tokenExpires"] = .null
        let neverExpires = try ClientJSON.decode(ServerAPI.Enrolled.self, from: CanonicalJSON.bytes(.object(never)))
        #expect(neverExpires.tokenExpires == nil)

        let keyless = CanonicalJSON.bytes([
            "device": .string(F.key.publicKey.deviceID.rawValue), "role": "reporter", "token": "t",
            "server": ["name": "x"],
        ])
        let error = try #require(throws: ClientJSONError.self) {
            try ClientJSON.decode(ServerAPI.Enrolled.self, from: keyless)
        }
        #expect(error.description == "server.publicKey is missing")
    }

    /// The results are read with `Codable`; the signed receipt is kept member for member, so it verifies.
    @Test func aPushAnswerKeepsItsSignedReceiptAsSent() throws {
        let events = try events(2)
        let receipt = receipt(signedBy: F.election.serverKey, events: events)
        let body = CanonicalJSON.bytes([
            "results": [
                [
                    "index": 0, "id": .string(events[0].id.description), "seq": 1, "outcome": "appended",
                    "position": 100,
                ],
                [
                    "index": 1, "id": .string(events[1].id.description), "seq": 2, "outcome": "duplicate",
                    "position": 101,
                ],
            ],
            "receipt": .object(receipt),
        ])
        let answer = try PushAnswer(body: body)
        #expect(answer.results.map(\.outcome) == [.appended(position: 100), .duplicate(position: 101)])
        #expect(answer.receipt == receipt)
        let delivered = try ReceiptBook.verify(
            try #require(answer.receipt), serverKey: F.election.serverKey.publicKey, device: F.key.publicKey.deviceID,
            localID: { seq in events.first { $0.seq == seq }?.id })
        #expect(delivered.count == 2)

        let unknown = CanonicalJSON.bytes([
            "results": [["index": 0, "outcome": "maybe"]], "receipt": .object(receipt),
        ])
        let error = try #require(throws: ServerAPIError.self) { try PushAnswer(body: unknown) }
        #expect("\(error)".contains("results[0].outcome: 'maybe' is not an outcome"), "\(error)")
    }

    @Test func aProblemIsOneLineWithItsFirstFieldError() throws {
        let body = CanonicalJSON.bytes([
            "type": "urn:fieldsync:problem:invalid-request", "title": "Bad Request", "status": 400,
            "detail": "the review cannot be recorded",
            "errors": [["field": "reason", "code": "empty", "problem": "is empty", "allowed": "a sentence"]],
        ])
        #expect(
            AuditServer.problem(status: 400, body: body)
                == "400 Bad Request — the review cannot be recorded (reason: is empty; allowed: a sentence)")
        #expect(AuditServer.problem(status: 502, body: Array("<html>".utf8)) == "HTTP 502")
    }

    /// The refusal is recognised by its error number, not by the words of the error.
    @Test func aRefusedConnectionIsNamedAsSuch() async throws {
        let api = ServerAPI(client: AuditServer.client, server: "http://127.0.0.1:9", token: nil)
        let error = try await #require(throws: ServerAPIError.self) {
            _ = try await api.head(of: F.key.publicKey.deviceID)
        }
        guard case .unreachable(let why) = error else {
            Issue.record("not unreachable: \(error)")
            return
        }
        #expect(why == "cannot reach http://127.0.0.1:9: nothing answers (connection refused)")
    }

    /// The audit tools' calls go through the same layer, and tell a failure the same way.
    @Test func theAuditToolsNameARefusedConnectionTheSameWay() async throws {
        let server = AuditServer(credentials: try ReadCredentials(server: "http://127.0.0.1:9/", token: "t"))
        let error = try await #require(throws: AuditServerError.self) { _ = try await server.document("/v1/tallies") }
        #expect(error.kind == .unreachable)
        #expect(error.description == "cannot reach http://127.0.0.1:9: nothing answers (connection refused)")
    }
}
