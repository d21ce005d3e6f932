import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import Testing

/// The server judges observation times by the election its log defines, not by one compiled in.
@Suite struct ElectionCalendarTests {
    /// An election on 4 November 2031 at −03:00: polling 07:00–19:00, observations from 05:30.
    static let otherElection = ElectionDefinition.otherDayAndZone

    /// The fixture's reference data with `election` in place of Karachi's, or with none.
    static func drafts(election: ElectionDefinition?) -> [EventDraft] {
        ReferenceFixture.drafts.filter { $0.type != .electionDefined }
            + (election.map { [EventDraft(payload: .electionDefined($0), time: KarachiDemo.referenceTime)] } ?? [])
    }

    static func turnout(at text: String, device: inout TestDevice) -> Event {
        let time = ObservedTime(text)!
        return try! device.chain.sign(
            EventDraft(
                payload: .turnoutCounted(TurnoutCount(asOf: time, votesCast: 10)),
                subject: ReferenceFixture.station.code.rawValue, time: time),
            key: device.key)
    }

    @Test func anotherElectionsCalendarDrivesThePushChecks() async throws {
        try await InProcessServer.with(reference: Self.drafts(election: Self.otherElection)) { started in
            let server = TestServer(server: started.server, url: started.url)
            var reporter = try await server.enroll()
            // Karachi's polling day is not this election's: refused, and the window named in its time.
            let karachi = try await server.push([reporter.nextTurnout()], as: reporter)
            #expect(karachi.status == 422)
            let errors = karachi.object["results"]?[0]?["errors"]
            #expect(errors?[0]?["field"] == "time")
            #expect(errors?[0]?["code"] == "outside-window")
            #expect(errors?[0]?["allowed"] == "from 2031-11-04T05:30:00-03:00 to 2031-11-05T08:00:00-03:00")

            // Before polling opens at 07:00, a count is refused; after, taken.
            reporter.chain = DeviceChain(device: reporter.device)
            let early = try await server.push(
                [Self.turnout(at: "2031-11-04T06:30:00-03:00", device: &reporter)], as: reporter)
            #expect(early.object["results"]?[0]?["errors"]?[0]?["field"] == "data.asOf")
            reporter.chain = DeviceChain(device: reporter.device)
            let taken = try await server.push(
                [Self.turnout(at: "2031-11-04T09:15:00-03:00", device: &reporter)], as: reporter)
            #expect(TestServer.outcomes(taken) == ["appended"])

            // The reference data reporters fetch carries the definition; the server writes its own
            // events' times in the election's offset.
            let reference = try await HTTP.get(server.url + "/v1/reference", token: reporter.token)
            #expect(reference.text.contains(#""type":"fieldsync.election.defined.v1""#))
            let snapshot = try await started.server.reference.refresh()
            #expect(snapshot.data.election == Self.otherElection)
            let events = try await started.server.events.events(after: 0, limit: 1000)
            let enrolled = try #require(events.last { $0.record.type == EventType.deviceEnrolled.rawValue })
            #expect(enrolled.record.time.hasSuffix("-03:00"))
        }
    }

    @Test func noObservationIsTakenBeforeTheLogDefinesAnElection() async throws {
        try await InProcessServer.with(reference: Self.drafts(election: nil)) { started in
            let server = TestServer(server: started.server, url: started.url)
            var reporter = try await server.enroll()
            let answer = try await server.push([reporter.nextTurnout()], as: reporter)
            #expect(answer.status == 422)
            #expect(answer.object["results"]?[0]?["errors"]?[0]?["code"] == "outside-window")
            #expect(answer.text.contains("defines no election"))

            // The demo's log begun before elections were data gets Karachi's, and nothing else again.
            #expect(try await started.server.loadDemoReferenceData() == 1)
            #expect(try await started.server.reference.refresh().data.election == KarachiDemo.election)
            #expect(try await started.server.loadDemoReferenceData() == 0)
            reporter.chain = DeviceChain(device: reporter.device)
            #expect(TestServer.outcomes(try await server.push([reporter.nextTurnout()], as: reporter)) == ["appended"])
        }
    }
}
