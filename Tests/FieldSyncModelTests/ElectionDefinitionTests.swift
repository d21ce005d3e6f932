import Testing

@testable import FieldSyncModel

/// The election is data: its definition's rules, and its calendar driving the checks of observations.
@Suite struct ElectionDefinitionTests {
    /// An election on another date and in another time zone than Karachi's: polling 07:00–19:00 at
    /// −03:00 on 4 November 2031, observations from 05:30 to 08:00 the next day, corrections for a week.
    static let otherElection = ElectionDefinition(
        id: "test-2031", name: "A test election (synthetic)", utcOffsetMinutes: -180,
        pollingOpens: ObservedTime("2031-11-04T07:00:00-03:00")!,
        pollingCloses: ObservedTime("2031-11-04T19:00:00-03:00")!,
        observationsFrom: ObservedTime("2031-11-04T05:30:00-03:00")!,
        observationsUntil: ObservedTime("2031-11-05T08:00:00-03:00")!,
        correctionsUntil: ObservedTime("2031-11-11T00:00:00-03:00")!,
        assemblies: [.na: "National Assembly"], synthetic: true)

    /// The fixture's reference data with `election` in place of Karachi's (or with none).
    static func reference(election: ElectionDefinition?) -> ReferenceData {
        var reference = ReferenceData()
        for payload in Fixture.referencePayloads {
            if case .electionDefined = payload {
                if let election { reference.apply(.electionDefined(election)) }
            } else {
                reference.apply(payload)
            }
        }
        return reference
    }

    static let validator = EventValidator(reference: reference(election: otherElection))

    static func problems(_ payload: Payload, at time: String) -> [String] {
        validator.validate(Fixture.observation(payload, at: time)).summary
    }

    static func turnout(asOf: String) -> Payload {
        .turnoutCounted(TurnoutCount(asOf: ObservedTime(asOf)!, votesCast: 10))
    }

    /// The definition is kept apart from the other payloads: an observation's payload, which a projector
    /// holds for every observation of the stations it keeps, is not the size of the election's.
    @Test func aPayloadIsNotTheSizeOfTheDefinition() {
        #expect(MemoryLayout<Payload>.size * 2 < MemoryLayout<ElectionDefinition>.size)
        let payload = Payload.electionDefined(Self.otherElection)
        guard case .electionDefined(let definition) = payload else {
            Issue.record("not a definition")
            return
        }
        #expect(definition == Self.otherElection)
        #expect(payload.type == .electionDefined)
    }

    @Test func theDefinitionsCalendarDrivesTheChecks() {
        // Karachi's polling day is long over in this election's calendar: before it opens.
        #expect(
            Self.problems(Self.turnout(asOf: "2024-02-08T10:00:00+05:00"), at: "2024-02-08T11:00:00+05:00") == [
                "time outside-window", "data.asOf outside-window",
            ])
        #expect(Self.problems(Self.turnout(asOf: "2031-11-04T10:00:00-03:00"), at: "2031-11-04T10:05:00-03:00") == [])
        // 05:29 is a minute before observations open; 05:30 is the first minute.
        let incident = { (at: String) in
            Payload.incidentObserved(
                Incident(
                    kind: .violence, severity: .high, description: "a scuffle outside", occurredAt: ObservedTime(at)!))
        }
        #expect(
            Self.problems(incident("2031-11-04T05:29:00-03:00"), at: "2031-11-04T05:29:00-03:00") == [
                "time outside-window", "data.occurredAt outside-window",
            ])
        #expect(Self.problems(incident("2031-11-04T05:30:00-03:00"), at: "2031-11-04T05:30:00-03:00") == [])
        // A result before polling closes at 19:00 local (22:00 UTC) is refused; one after it is not.
        #expect(Self.problems(.resultReported(Fixture.result), at: "2031-11-04T21:59:00Z") == ["time outside-window"])
        #expect(Self.problems(.resultReported(Fixture.result), at: "2031-11-04T22:00:00Z") == [])
        // The message names the window in the election's own time.
        let refused = Self.validator.validate(
            Fixture.observation(Self.turnout(asOf: "2031-11-04T06:00:00-03:00"), at: "2031-11-04T06:10:00-03:00"))
        #expect(refused.map(\.allowed) == ["from 2031-11-04T07:00:00-03:00 to 2031-11-05T08:00:00-03:00"])
    }

    @Test func noObservationIsAcceptedBeforeAnElectionIsDefined() {
        let validator = EventValidator(reference: Self.reference(election: nil))
        let errors = validator.validate(Fixture.observation(Self.turnout(asOf: "2024-02-08T10:00:00+05:00")))
        #expect(errors.summary == ["time outside-window"])
        #expect(errors.first?.problem == "the reference data defines no election yet")
    }

    @Test func aLogDefinesOneElectionAndItsAssemblies() {
        func reference(_ payload: Payload) -> [String] {
            let event = try! Event.sign(
                EventDraft(payload: payload, time: Fixture.referenceTime), seq: 99, prevHash: SHA256Digest.hash([1]),
                key: Fixture.serverKey, device: .server)
            return Self.validator.validate(event).summary
        }
        #expect(reference(.electionDefined(Self.otherElection)) == [])
        #expect(reference(.electionDefined(KarachiDemo.election)) == ["data.id already-defined"])
        // The test election elects no provincial assembly.
        #expect(
            reference(.constituencyDefined(Constituency(code: ConstituencyCode("PS-9")!, name: "x", district: "y")))
                == ["data.code unknown-constituency"])
        #expect(
            reference(.constituencyDefined(Constituency(code: ConstituencyCode("NA-9")!, name: "x", district: "y")))
                == [])
    }

    @Test func theDefinitionRoundTripsAndItsRulesAreChecked() throws {
        let data = Self.otherElection.jsonValue
        #expect(data["utcOffset"] == "-03:00")
        #expect(try Payload.decode(type: .electionDefined, data: data) == .electionDefined(Self.otherElection))
        func problems(_ changes: [String: JSONValue]) -> [String] {
            guard case .object(var object) = data else { return [] }
            for (name, value) in changes { object[name] = value }
            var errors = [FieldError]()
            _ = Payload.decode(type: .electionDefined, data: .object(object), errors: &errors)
            return errors.summary
        }
        #expect(problems(["id": "Test 2031"]) == ["data.id invalid-format"])
        #expect(problems(["utcOffset": "+15:00"]) == ["data.utcOffset invalid-format"])
        #expect(problems(["utcOffset": "05:00"]) == ["data.utcOffset invalid-format"])
        #expect(problems(["pollingCloses": "2031-11-04T06:00:00-03:00"]).contains("data.pollingCloses out-of-range"))
        #expect(problems(["correctionsUntil": "2031-11-05T07:59:59-03:00"]) == ["data.correctionsUntil out-of-range"])
        #expect(problems(["pollingOpens": "2031-11-04T05:00:00-03:00"]) == ["data.pollingOpens out-of-range"])
        #expect(
            problems(["assemblies": ["PS": "Provincial Assembly of Sindh"]]) == ["data.assemblies.NA missing-member"])
        #expect(
            problems(["assemblies": ["NA": "National Assembly", "PX": "Provincial Assembly of X"]]) == [
                "data.assemblies.PX unknown-member"
            ])
        #expect(problems(["assemblies": ["NA": "National Assembly", "PP": "Provincial Assembly of the Punjab"]]) == [])
        #expect(problems(["postponed": ["NA-8"]]) == [])
        #expect(problems(["postponed": ["PS-8"]]) == ["data.postponed not-allowed"])
        #expect(problems(["postponed": ["NA-8", "NA-8"]]) == ["data.postponed[1] duplicate"])
        #expect(problems(["postponed": ["XX-8"]]) == ["data.postponed[0] invalid-format"])
        #expect(problems(["calendar": "x"]) == ["data.calendar unknown-member"])
    }
}
