import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import Testing

/// A reporter's device moves no station's counted figures but its own: over real HTTP, with the projector
/// running, an enrolled device assigned elsewhere sends results, corrections, turnout and incidents for a
/// confirmed station and for an unreported one, alone and racing honest reporters. Everything it sends is
/// stored; nothing it sends counts until an editor accepts it or an admin assigns it.
@Suite struct RogueReporterTests {
    static let stations = ReferenceFixture.stations.map(\.code)
    static let seat = ReferenceFixture.national

    /// A Form-45 for NA-248 at `station`, every vote on candidate `favourite` (or spread when nil).
    static func form45(_ station: StationCode, total: Int, favourite: Int? = nil, minute: Int = 0) -> EventDraft {
        let candidates = ReferenceFixture.candidates.filter { $0.constituency == seat }.sorted { $0.id < $1.id }
        let registered = ReferenceFixture.stations.first { $0.code == station }!.voters.total
        var votes: [CandidateID: Int] = [:]
        let valid = total - min(total, 10)
        for (index, candidate) in candidates.enumerated() {
            if let favourite {
                votes[candidate.id] = index == favourite ? valid : 0
            } else {
                votes[candidate.id] = index == 0 ? valid - valid / 2 : index == 1 ? valid / 2 : 0
            }
        }
        let time = ObservedTime(
            Timestamp(rfc3339: "2024-02-08T18:00:00+05:00")!.adding(minutes: Int64(minute)), offsetMinutes: 300)
        return EventDraft(
            payload: .resultReported(
                Form45Result(
                    constituency: seat, registeredVoters: registered, votes: votes, rejected: min(total, 10),
                    totalCast: total)),
            subject: station.rawValue, time: time)
    }

    static func incident(_ station: StationCode) -> EventDraft {
        EventDraft(
            payload: .incidentObserved(Incident(kind: .form45Refused, severity: .high, description: "refused (test)")),
            subject: station.rawValue, time: ObservedTime("2024-02-08T17:30:00+05:00")!)
    }

    /// The counted figures an editor reads: the seat's counted votes per candidate and its station counts,
    /// and each station's result status, once the projector has folded up to `position`.
    static func counted(_ server: TestServer, editor: TestDevice, position: Int64) async throws -> String {
        let overview = try await TallyRouteTests.waitForTallies(server, token: editor.token, position: position)
        let seat = try #require(overview.object["constituencies"]?[Self.seat.rawValue])
        var text = (seat["candidates"]?.arrayValue ?? []).map {
            "\($0["candidate"]?.stringValue ?? "?")=\($0["votes"]?.integerValue ?? -1)"
        }.joined(separator: ",")
        let counts = seat["stations"]!
        text += " counted=\(counts["counted"]?.integerValue ?? -1) disputed=\(counts["disputed"]?.integerValue ?? -1)"
        for station in stations {
            let document = try await HTTP.get(server.url + "/v1/stations/\(station)", token: editor.token)
            let result = (document.object["station"]?["results"]?.arrayValue ?? []).first {
                $0["constituency"]?.stringValue == Self.seat.rawValue
            }
            text += " \(station)=\(result?["status"]?.stringValue ?? "?")"
        }
        return text
    }

    /// Pushes `events` and expects every one appended; returns the last position.
    static func pushAll(_ events: [Event], as device: TestDevice, to server: TestServer) async throws -> Int64 {
        let answer = try await server.push(events, as: device)
        #expect(TestServer.outcomes(answer) == Array(repeating: "appended", count: events.count), "\(answer.text)")
        return answer.object["results"]?.arrayValue?.last?["position"]?.integerValue ?? 0
    }

    @Test func aReporterAssignedElsewhereMovesNothingUntilAcceptedOrAssigned() async throws {
        try await TestServer.with(projector: true) { server in
            let editor = try await server.enroll(.editor, sendKey: false)
            let admin = try await server.enroll(.admin, sendKey: false)
            let home = CodeAssignment(stations: [Self.stations[0]])
            var honest1 = try await server.enroll(.reporter, name: "Honest One", assignment: home)
            var honest2 = try await server.enroll(.reporter, name: "Honest Two", assignment: home)
            var rogue = try await server.enroll(
                .reporter, name: "Rogue", assignment: CodeAssignment(stations: [Self.stations[3]]))

            // Station 0 confirmed by its two reporters; station 1 unreported.
            _ = try await Self.pushAll(
                [try honest1.chain.sign(Self.form45(Self.stations[0], total: 400), key: honest1.key)], as: honest1,
                to: server)
            let confirmedAt = try await Self.pushAll(
                [try honest2.chain.sign(Self.form45(Self.stations[0], total: 400), key: honest2.key)], as: honest2,
                to: server)
            let before = try await Self.counted(server, editor: editor, position: confirmedAt)
            #expect(before.contains("\(Self.stations[0])=confirmed"))
            #expect(before.contains("\(Self.stations[1])=unreported"))

            // The rogue's day: an all-zero Form-45 at the confirmed station, a result at the unreported one,
            // turnout and a refusal at both, and a correction of its own result there.
            var rogueEvents = [
                try rogue.chain.sign(Self.form45(Self.stations[0], total: 0, minute: 5), key: rogue.key),
                try rogue.chain.sign(Self.form45(Self.stations[1], total: 500, favourite: 2), key: rogue.key),
                try rogue.chain.sign(
                    TestDevice.turnoutDraft(votes: 900, station: Self.stations[0]), key: rogue.key),
                try rogue.chain.sign(Self.incident(Self.stations[1]), key: rogue.key),
            ]
            let fake = rogueEvents[1]
            rogueEvents.append(
                try rogue.chain.sign(
                    EventDraft(
                        payload: .reportCorrected(
                            Correction(
                                corrects: fake.id, reason: "more",
                                change: .replacement(
                                    try Payload.decode(
                                        type: .resultReported,
                                        data: Self.form45(Self.stations[1], total: 600, favourite: 2).data)))),
                        subject: Self.stations[1].rawValue, time: ObservedTime("2024-02-08T19:00:00+05:00")!),
                    key: rogue.key))
            // Racing the honest reporters' turnout counts, batch against batch.
            let rogueBatch = rogueEvents
            let rogueDevice = rogue
            let honestBatch = [honest1.nextTurnout(votes: 200, minute: 30)]
            let honestDevice = honest1
            async let rogueStored = Self.pushAll(rogueBatch, as: rogueDevice, to: server)
            async let honestStored = Self.pushAll(honestBatch, as: honestDevice, to: server)
            let last = max(try await rogueStored, try await honestStored)

            let after = try await Self.counted(server, editor: editor, position: last)
            #expect(after == before, "the rogue's events moved the counted figures")
            let station0 = try await HTTP.get(server.url + "/v1/stations/\(Self.stations[0])", token: editor.token)
            let held = station0.object["station"]?["held"]?.arrayValue ?? []
            #expect(held.map { $0["device"]?.stringValue } == [rogue.device.rawValue])
            #expect(held.first?["reason"]?.stringValue == "unassigned")
            // Every event it sent is stored.
            let head = try await HTTP.get(server.url + "/v1/devices/\(rogue.device)/head", token: rogue.token)
            #expect(head.object["seq"]?.integerValue == Int64(rogueEvents.count))
            // The editors' review list names both stations.
            let reviews = try await HTTP.get(server.url + "/v1/reviews", token: editor.token)
            let listed = (reviews.object["stations"]?.arrayValue ?? []).compactMap { $0["station"]?.stringValue }
            #expect(listed.contains(Self.stations[0].rawValue) && listed.contains(Self.stations[1].rawValue))

            // An editor accepts the rogue's reports at station 1 only: that station now counts its (corrected)
            // figures; station 0 stays confirmed.
            let accepted = try await HTTP.post(
                server.url + "/v1/stations/\(Self.stations[1])/reviews",
                json: ["decision": "accepted", "device": .string(rogue.device.rawValue), "reason": "phoned (test)"],
                token: editor.token)
            #expect(accepted.status == 201, "\(accepted.text)")
            let acceptedAt = try #require(accepted.object["position"]?.integerValue)
            let released = try await Self.counted(server, editor: editor, position: acceptedAt)
            #expect(released.contains("\(Self.stations[1])=reported"))
            #expect(released.contains("\(Self.stations[0])=confirmed"))
            #expect(released != before)

            // An admin assigns the rogue to station 0 as well: its all-zero report now counts, and disputes.
            let assigned = try await HTTP.post(
                server.url + "/v1/devices/\(rogue.device)/assignment",
                json: ["stations": [.string(Self.stations[0].rawValue)]], token: admin.token)
            #expect(assigned.status == 200, "\(assigned.text)")
            let covers = (assigned.object["stations"]?.arrayValue ?? []).compactMap(\.stringValue)
            #expect(covers == [Self.stations[0].rawValue, Self.stations[3].rawValue])
            let assignedAt = try #require(assigned.object["position"]?.integerValue)
            let disputed = try await Self.counted(server, editor: editor, position: assignedAt)
            #expect(disputed.contains("\(Self.stations[0])=disputed"))

            // The editor rejects it there: confirmed again, exactly as before the rogue.
            let rejected = try await HTTP.post(
                server.url + "/v1/stations/\(Self.stations[0])/reviews",
                json: ["decision": "rejected", "device": .string(rogue.device.rawValue), "reason": "zeros (test)"],
                token: editor.token)
            #expect(rejected.status == 201, "\(rejected.text)")
            let rejectedAt = try #require(rejected.object["position"]?.integerValue)
            let settled = try await Self.counted(server, editor: editor, position: rejectedAt)
            #expect(settled.contains("\(Self.stations[0])=confirmed"))
            _ = honest2
        }
    }

    @Test func aRevokedDevicesBatchIsRefusedWholeAndMovesNothing() async throws {
        try await TestServer.with(projector: true) { server in
            let editor = try await server.enroll(.editor, sendKey: false)
            var rogue = try await server.enroll(
                .reporter, name: "Rogue", assignment: CodeAssignment(stations: [Self.stations[0]]))
            let first = try await Self.pushAll([rogue.nextTurnout(votes: 5)], as: rogue, to: server)
            let before = try await Self.counted(server, editor: editor, position: first)
            try await server.server.revoke(rogue.device, reason: "stolen (test)")
            let refused = try await server.push(
                [try rogue.chain.sign(Self.form45(Self.stations[0], total: 0), key: rogue.key)], as: rogue)
            #expect(refused.status == 403)
            #expect(refused.object["type"]?.stringValue == "urn:fieldsync:problem:device-revoked")
            let position = try await server.server.events.head().position
            #expect(try await Self.counted(server, editor: editor, position: position) == before)
        }
    }

    @Test func reviewsAndAssignmentsAnswerBadRequestsPrecisely() async throws {
        try await TestServer.with { server in
            let editor = try await server.enroll(.editor, sendKey: false)
            let admin = try await server.enroll(.admin, sendKey: false)
            let reporter = try await server.enroll(.reporter)
            let station = Self.stations[0]
            func review(_ body: JSONValue, token: String) async throws -> HTTPAnswer {
                try await HTTP.post(server.url + "/v1/stations/\(station)/reviews", json: body, token: token)
            }
            let cases: [(JSONValue, String)] = [
                (["decision": "maybe", "device": .string(reporter.device.rawValue), "reason": "x"], "decision"),
                (["decision": "accepted", "reason": "x"], "device"),
                (["decision": "accepted", "device": .string(reporter.device.rawValue)], "reason"),
                (["decision": "accepted", "device": .string(editor.device.rawValue), "reason": "x"], "device"),
                (["decision": "verified", "constituency": "NA-248", "reason": "x"], "events"),
                (
                    [
                        "decision": "verified", "constituency": "NA-248", "reason": "x",
                        "events": ["00000000-0000-4000-8000-000000000001"],
                    ], "events[0]"
                ),
                (
                    [
                        "decision": "verified", "constituency": "NA-1", "reason": "x",
                        "events": ["00000000-0000-4000-8000-000000000001"],
                    ], "constituency"
                ),
                (
                    [
                        "decision": "rejected", "device": .string(reporter.device.rawValue), "reason": "x",
                        "constituency": "NA-248",
                    ],
                    "constituency"
                ),
            ]
            for (body, field) in cases {
                let answer = try await review(body, token: editor.token)
                #expect(answer.status == 400, "\(body): \(answer.text)")
                #expect(answer.problemFields.contains(field), "\(body): \(answer.text)")
            }
            #expect(
                try await review(
                    ["decision": "accepted", "device": .string(reporter.device.rawValue), "reason": "x"],
                    token: reporter.token
                ).status == 403)
            func assign(_ body: JSONValue, device: DeviceID) async throws -> HTTPAnswer {
                try await HTTP.post(server.url + "/v1/devices/\(device)/assignment", json: body, token: admin.token)
            }
            let assignments: [(JSONValue, String)] = [
                ([:], "stations"),
                (["stations": ["NA-248-999"]], "stations[0]"),
                (["stations": [.string(station.rawValue), .string(station.rawValue)]], "stations[1]"),
                (["constituencies": ["XX-1"]], "constituencies[0]"),
                (["constituencies": ["NA-999"]], "constituencies[0]"),
            ]
            for (body, field) in assignments {
                let answer = try await assign(body, device: reporter.device)
                #expect(answer.status == 400, "\(body): \(answer.text)")
                #expect(answer.problemFields.contains(field), "\(body): \(answer.text)")
            }
            let ofEditor = try await assign(["stations": [.string(station.rawValue)]], device: editor.device)
            #expect(ofEditor.status == 400 && ofEditor.problemFields.contains("device"), "\(ofEditor.text)")
            // A reporter's code needs an assignment; other roles' codes take none.
            await #expect(throws: Problem.self) {
                _ = try await server.server.issueCode(
                    role: .reporter, name: "Nobody", validForSeconds: 60, assignment: CodeAssignment())
            }
            await #expect(throws: Problem.self) {
                _ = try await server.server.issueCode(
                    role: .editor, name: "Nobody", validForSeconds: 60, assignment: CodeAssignment(stations: [station]))
            }
            // A reporter reads its own assignment, not another's.
            let own = try await HTTP.get(
                server.url + "/v1/devices/\(reporter.device)/assignment", token: reporter.token)
            #expect(own.status == 200)
            #expect((own.object["events"]?.arrayValue ?? []).count == 1)
            let other = try await HTTP.get(
                server.url + "/v1/devices/\(editor.device)/assignment", token: reporter.token)
            #expect(other.status == 403)
        }
    }
}
