import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import NIOHTTP1
import Testing

@Suite struct PushTests {
    @Test func eventsAreAppendedThenDuplicates() async throws {
        try await TestServer.with { server in
            var reporter = try await server.enroll()
            let events = (0..<3).map { reporter.nextTurnout(votes: 10 + $0, minute: $0) }
            let first = try await server.push(events, as: reporter)
            #expect(first.status == 200)
            #expect(TestServer.outcomes(first) == ["appended", "appended", "appended"])
            let positions = (first.object["results"]?.arrayValue ?? []).map { $0["position"]?.integerValue }
            #expect(positions.allSatisfy { $0 != nil })
            #expect(first.object["results"]?.arrayValue?.map { $0["id"] } == events.map { .string($0.id.description) })

            let again = try await server.push(events, as: reporter)
            #expect(TestServer.outcomes(again) == ["duplicate", "duplicate", "duplicate"])
            #expect((again.object["results"]?.arrayValue ?? []).map { $0["position"]?.integerValue } == positions)
            let head = try await HTTP.get(server.url + "/v1/devices/\(reporter.device)/head", token: reporter.token)
            #expect(head.object["seq"] == 3)
            #expect(head.object["hash"] == .string(events[2].hash.hex))
        }
    }

    @Test func aGapSaysWhichSeqIsExpected() async throws {
        try await TestServer.with { server in
            var reporter = try await server.enroll()
            let events = (0..<4).map { reporter.nextTurnout(minute: $0) }
            let answer = try await server.push([events[0], events[2], events[3]], as: reporter)
            #expect(TestServer.outcomes(answer) == ["appended", "gap", "gap"])
            #expect(answer.object["results"]?[1]?["expectedSeq"] == 2)
            let rest = try await server.push(Array(events[1...]), as: reporter)
            #expect(TestServer.outcomes(rest) == ["appended", "appended", "appended"])
        }
    }

    @Test func anotherEventInATakenSlotIsAConflict() async throws {
        try await TestServer.with { server in
            var reporter = try await server.enroll()
            let original = reporter.nextTurnout(votes: 10)
            _ = try await server.push([original], as: reporter)
            // The same seq signed again with other content: a fork of the device's chain.
            var fork = DeviceChain(device: reporter.device)
            let other = try fork.sign(TestDevice.turnoutDraft(votes: 99), key: reporter.key)
            let answer = try await server.push([other], as: reporter)
            #expect(TestServer.outcomes(answer) == ["conflict"])
            let result = try #require(answer.object["results"]?[0])
            #expect(result["reason"] == "sequence-taken")
            #expect(result["existingPosition"]?.integerValue != nil)
            #expect(try await server.server.events.conflicts(device: reporter.device.rawValue).count == 1)
        }
    }

    @Test func invalidEventsNameTheirFieldsAndTheRestIsStored() async throws {
        try await TestServer.with { server in
            var reporter = try await server.enroll()
            let good = reporter.nextTurnout(votes: 5)
            // Turnout above the station's registered voters.
            let tooMany = reporter.nextTurnout(votes: ReferenceFixture.station.voters.total + 1)
            var object = reporter.nextTurnout().jsonObject
            object["colour"] = "blue"
            let answer = try await HTTP.send(
                .POST, server.url + "/v1/events", token: reporter.token,
                body: TestDevice.batch(objects: [good.jsonValue, tooMany.jsonValue, .object(object), "not an event"]),
                contentType: "application/json")
            #expect(answer.status == 200)
            #expect(TestServer.outcomes(answer) == ["appended", "invalid", "invalid", "invalid"])
            let results = answer.object["results"]?.arrayValue ?? []
            #expect(results[1]["errors"]?[0]?["field"] == "data.votesCast")
            #expect(results[1]["errors"]?[0]?["code"] == "above-registered")
            #expect(results[1]["seq"] == 2)
            #expect(results[2]["errors"]?.arrayValue?.contains { $0["field"] == "colour" } == true)
            #expect(results[3]["index"] == 3)
            #expect(results[3]["id"] == nil)
        }
    }

    /// A batch none of whose events can be stored is refused whole: 422 problem+json naming the first
    /// error, every event's result in the problem's `results`, nothing appended and nothing recorded.
    @Test func aBatchWithNothingStorableIsRefusedWhole() async throws {
        try await TestServer.with { server in
            var reporter = try await server.enroll()
            let before = try await server.server.events.head()
            let tooMany = reporter.nextTurnout(votes: ReferenceFixture.station.voters.total + 1)
            var unsigned = reporter.nextTurnout().jsonObject
            unsigned["signature"] = .string(Base64URL.encode(SigningKey.generate().signature(for: SHA256Digest.zero)))
            let answer = try await HTTP.send(
                .POST, server.url + "/v1/events", token: reporter.token,
                body: TestDevice.batch(objects: [tooMany.jsonValue, .object(unsigned), "not an event"]),
                contentType: "application/cloudevents-batch+json")
            #expect(answer.status == 422)
            #expect(answer.contentType == "application/problem+json")
            let problem = answer.object
            #expect(problem["type"] == "urn:fieldsync:problem:batch-invalid")
            #expect(problem["status"] == 422)
            #expect(problem["title"]?.stringValue?.isEmpty == false)
            let detail = try #require(problem["detail"]?.stringValue)
            #expect(detail.contains("3 events"), "\(detail)")
            #expect(detail.contains("data.votesCast"), "\(detail)")
            #expect(problem["receipt"] == nil)

            // Each event's result, in the shape of a 200 answer's.
            #expect(TestServer.outcomes(answer) == ["invalid", "invalid", "invalid"])
            let results = problem["results"]?.arrayValue ?? []
            #expect(results.map { $0["index"] } == [0, 1, 2])
            #expect(results[0]["id"] == .string(tooMany.id.description))
            #expect(results[0]["seq"] == 1)

            // The shared problem type reads the answer as sent, and writes it back byte for byte.
            let details = try JSONDecoder().decode(ProblemDetails.self, from: Data(answer.body))
            #expect(details.kind == .batchInvalid)
            #expect(details.results.map(\.outcome.kind) == [.invalid, .invalid, .invalid])
            #expect(CanonicalJSON.bytes(details.jsonValue) + [0x0a] == answer.body)
            #expect(results[0]["errors"]?[0]?["field"] == "data.votesCast")
            #expect(results[0]["errors"]?[0]?["code"] == "above-registered")
            #expect(results[0]["errors"]?[0]?["allowed"]?.stringValue?.isEmpty == false)
            #expect(results[1]["errors"]?[0]?["code"] == "bad-signature")
            #expect(results[2]["id"] == nil)

            // Nothing stored, nothing recorded.
            #expect(try await server.server.events.head() == before)
            #expect(try await server.server.events.deviceHead(reporter.device.rawValue) == nil)
            #expect(try await server.server.events.conflicts(device: reporter.device.rawValue).isEmpty)

            // An empty batch refuses nothing: it is answered as before.
            let empty = try await server.push([], as: reporter)
            #expect(empty.status == 200)
        }
    }

    @Test func aBadSignatureIsInvalid() async throws {
        try await TestServer.with { server in
            var reporter = try await server.enroll()
            var object = reporter.nextTurnout().jsonObject
            object["signature"] = .string(Base64URL.encode(SigningKey.generate().signature(for: SHA256Digest.zero)))
            let answer = try await HTTP.send(
                .POST, server.url + "/v1/events", token: reporter.token,
                body: TestDevice.batch(objects: [.object(object)]))
            #expect(answer.status == 422)
            #expect(TestServer.outcomes(answer) == ["invalid"])
            #expect(answer.object["results"]?[0]?["errors"]?[0]?["code"] == "bad-signature")

            // Signed by another key: also refused.
            var impostor = reporter
            impostor.chain = DeviceChain(device: reporter.device)
            let forged = try impostor.chain.sign(TestDevice.turnoutDraft(), key: SigningKey.generate())
            let second = try await server.push([forged], as: reporter)
            #expect(second.status == 422)
            #expect(second.object["results"]?[0]?["errors"]?[0]?["code"] == "bad-signature")
            #expect(TestServer.outcomes(second) == ["invalid"])
            #expect(try await server.server.events.deviceHead(reporter.device.rawValue) == nil)
        }
    }

    @Test func eventsOfAnotherDeviceAreRefused() async throws {
        try await TestServer.with { server in
            var alice = try await server.enroll(name: "Alice")
            let bob = try await server.enroll(name: "Bob")
            let alices = alice.nextTurnout()
            let answer = try await server.push([alices], as: bob)
            #expect(answer.status == 422)
            #expect(TestServer.outcomes(answer) == ["invalid"])
            #expect(answer.object["results"]?[0]?["errors"]?[0]?["code"] == "source-mismatch")
            #expect(try await server.server.events.deviceHead(alice.device.rawValue) == nil)
        }
    }

    @Test func aRevokedDeviceIsRefusedAndItsEarlierEventsStay() async throws {
        try await TestServer.with { server in
            var reporter = try await server.enroll()
            let before = reporter.nextTurnout()
            #expect(TestServer.outcomes(try await server.push([before], as: reporter)) == ["appended"])
            let admin = try await server.enroll(.admin, sendKey: false)
            let revoked = try await HTTP.post(
                server.url + "/v1/devices/\(reporter.device)/revocation", json: ["reason": "laptop stolen"],
                token: admin.token)
            #expect(revoked.status == 200)

            let after = try await server.push([reporter.nextTurnout()], as: reporter)
            #expect(after.status == 403)
            #expect(after.object["type"] == "urn:fieldsync:problem:device-revoked")
            let head = try await HTTP.get(server.url + "/v1/devices/\(reporter.device)/head", token: reporter.token)
            #expect(head.status == 403)
            #expect(try await server.server.events.deviceHead(reporter.device.rawValue)?.seq == 1)
            let again = try await HTTP.post(
                server.url + "/v1/devices/\(reporter.device)/revocation", json: ["reason": "twice"], token: admin.token)
            #expect(again.object["type"] == "urn:fieldsync:problem:already-revoked")
        }
    }

    @Test func theReceiptIsSignedByTheServerKey() async throws {
        try await TestServer.with { server in
            var reporter = try await server.enroll()
            let events = (0..<3).map { reporter.nextTurnout(minute: $0) }
            _ = try await server.push([events[0]], as: reporter)
            let answer = try await server.push(events + [reporter.nextTurnout(votes: 1_000_000)], as: reporter)
            let receipt = try #require(answer.object["receipt"]?.objectValue)
            #expect(SignedObject.isValid(receipt, signedBy: server.server.publicKey))
            #expect(!SignedObject.isValid(receipt, signedBy: reporter.key.publicKey))
            #expect(receipt["type"] == "fieldsync.receipt.v1")
            #expect(receipt["device"] == .string(reporter.device.rawValue))
            let listed = receipt["events"]?.arrayValue ?? []
            #expect(listed.map { $0["id"] } == events.map { .string($0.id.description) })
            #expect(listed.map { $0["outcome"] } == ["duplicate", "appended", "appended"])
            let head = try await server.server.events.head()
            #expect(receipt["head"]?["position"] == .integer(head.position))
            #expect(receipt["head"]?["chain"] == .string(head.chain.hex))

            // The shared types read the answer as sent, and write it back byte for byte.
            let results = try JSONDecoder().decode(PushAnswer.Results.self, from: Data(answer.body)).results
            #expect(results.map(\.outcome.kind) == [.duplicate, .appended, .appended, .invalid])
            let read = try Receipt(signed: receipt)
            #expect(read.events.map(\.seq) == events.map(\.seq))
            #expect(read.headPosition == head.position)
            let written = PushAnswer(results: results, receipt: receipt, proof: answer.object["proof"])
                .jsonValue(device: reporter.device)
            #expect(CanonicalJSON.bytes(written) + [0x0a] == answer.body)

            // The proof: a tree head signed at once that covers the batch, and a range proof for each run of
            // positions stored together, whose leaves are made from the device's own events: the duplicate,
            // stored by the first push, alone, and the two appended ones together.
            let proof = try ReceiptProof(json: try #require(answer.object["proof"]))
            let byPosition = Dictionary(uniqueKeysWithValues: zip(read.events.map(\.position), events))
            let own = { (index: Int) in proof.ranges[index].positions.compactMap { byPosition[$0] } }
            let treeHead = try proof.verify(serverKey: server.server.publicKey, events: own)
            #expect(treeHead.size >= read.events.map(\.position).max()!)
            #expect(proof.ranges.flatMap(\.positions) == read.events.map(\.position))
            #expect(proof.ranges.map(\.count) == [1, 2])
            #expect(
                proof.ranges[1].previous
                    == GlobalChain.link(
                        previous: proof.ranges[0].previous, position: proof.ranges[0].first, eventHash: events[0].hash,
                        received: proof.ranges[0].received, signature: events[0].signature))
            var moved = proof
            moved.ranges[1].received = Timestamp(rfc3339: "2024-02-08T08:00:00Z")!
            #expect(throws: ReceiptProblem.self) {
                try moved.verify(serverKey: server.server.publicKey, events: own)
            }
            var altered = proof
            altered.ranges[1].path[0] = SHA256Digest.hash("altered")
            #expect(throws: ReceiptProblem.self) {
                try altered.verify(serverKey: server.server.publicKey, events: own)
            }
            #expect(throws: ReceiptProblem.self) {
                try proof.verify(serverKey: server.server.publicKey) { own($0).reversed() }
            }
            #expect(throws: ReceiptProblem.self) {
                try proof.verify(serverKey: reporter.key.publicKey, events: own)
            }

            var tampered = receipt
            tampered["events"] = .array(Array(listed.prefix(2)))
            #expect(!SignedObject.isValid(tampered, signedBy: server.server.publicKey))
        }
    }

    @Test func correctionsAreCheckedAgainstTheEventsTheyCorrect() async throws {
        try await TestServer.with { server in
            var reporter = try await server.enroll()
            let original = reporter.nextTurnout(votes: 10)
            let time = original.time
            func correction(of id: EventID) -> EventDraft {
                EventDraft(
                    payload: .reportCorrected(Correction(corrects: id, reason: "miscounted", change: .retraction)),
                    subject: original.subject, time: time)
            }
            let inBatch = try reporter.chain.sign(correction(of: original.id), key: reporter.key)
            let unknown = try reporter.chain.sign(correction(of: EventID.random()), key: reporter.key)
            let answer = try await server.push([original, inBatch, unknown], as: reporter)
            #expect(TestServer.outcomes(answer) == ["appended", "appended", "invalid"])
            #expect(answer.object["results"]?[2]?["errors"]?[0]?["code"] == "unknown-event")
        }
    }

    @Test func batchesAndBodiesHaveLimits() async throws {
        let configuration = ServerConfiguration(maximumBatchEvents: 3, maximumBodyBytes: 8 << 10)
        try await TestServer.with(configuration) { server in
            var reporter = try await server.enroll()
            let four = (0..<4).map { reporter.nextTurnout(minute: $0) }
            let tooMany = try await server.push(four, as: reporter)
            #expect(tooMany.status == 413)
            #expect(tooMany.object["type"] == "urn:fieldsync:problem:batch-too-large")

            var object = reporter.nextTurnout().jsonObject
            object["padding"] = .string(String(repeating: "x", count: 9 << 10))
            let tooBig = try await HTTP.send(
                .POST, server.url + "/v1/events", token: reporter.token,
                body: TestDevice.batch(objects: [.object(object)]))
            #expect(tooBig.status == 413)
            #expect(tooBig.object["type"] == "urn:fieldsync:problem:body-too-large")
            #expect(try await server.server.events.deviceHead(reporter.device.rawValue) == nil)

            let notABatch = try await HTTP.send(
                .POST, server.url + "/v1/events", token: reporter.token, body: Array(#"{"id":1}"#.utf8))
            #expect(notABatch.status == 400)
            #expect(notABatch.object["type"] == "urn:fieldsync:problem:invalid-request")
            let wrongType = try await HTTP.send(
                .POST, server.url + "/v1/events", token: reporter.token, body: TestDevice.batch(four),
                contentType: "text/plain")
            #expect(wrongType.status == 415)
        }
    }

    @Test func largeBatchesAreCheckedInParallelInOrder() async throws {
        try await TestServer.with { server in
            var reporter = try await server.enroll()
            let events = (0..<500).map { reporter.nextTurnout(votes: $0 % 50, minute: $0) }
            var broken = events[250].jsonObject
            broken["signature"] = .string(Base64URL.encode(reporter.key.signature(for: SHA256Digest.zero)))
            var objects = events.map(\.jsonValue)
            objects[250] = .object(broken)
            let answer = try await HTTP.send(
                .POST, server.url + "/v1/events", token: reporter.token, body: TestDevice.batch(objects: objects))
            let outcomes = TestServer.outcomes(answer)
            #expect(outcomes.count == 500)
            #expect(outcomes[..<250].allSatisfy { $0 == "appended" })
            #expect(outcomes[250] == "invalid")
            #expect(outcomes[251...].allSatisfy { $0 == "gap" })
            let ids = (answer.object["results"]?.arrayValue ?? []).map { $0["id"]?.stringValue }
            #expect(ids == events.map { $0.id.description })
        }
    }
}
