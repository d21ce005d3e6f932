import Testing

@testable import FieldSyncModel

/// Every problem the validator reports against the reference data and the calendar.
@Suite struct EventValidatorTests {
    static let validator = Fixture.validator

    static func problems(_ event: Event, correcting target: CorrectionTarget = .notLookedUp) -> [String] {
        validator.validate(event, correcting: target).summary
    }

    static func observe(
        _ payload: Payload, at time: String = "2024-02-08T11:00:00+05:00", subject: String = "NA-248-017",
        key: SigningKey = Fixture.reporterKey, seq: Int64 = 1
    ) -> [String] {
        problems(Fixture.observation(payload, at: time, subject: subject, key: key, seq: seq))
    }

    static let opened = Payload.stationOpened(
        StationOpened(openedAt: Fixture.time("2024-02-08T08:10:00+05:00"), materialsComplete: true, staffPresent: true))

    @Test func theReferenceLogIsValid() {
        var reference = ReferenceData()
        for event in Fixture.referenceEvents {
            let validator = EventValidator(reference: reference)
            #expect(validator.validate(event).isEmpty, "\(event.type) \(event.subject)")
            #expect(validator.verifySignature(of: event) == nil)
            reference.apply(event)
        }
    }

    @Test func whoMayReport() {
        #expect(Self.observe(Self.opened) == [])
        #expect(Self.observe(Self.opened, key: Fixture.strangerKey) == ["source unknown-device"])
        #expect(Self.observe(Self.opened, key: Fixture.revokedKey) == ["source device-revoked"])
        #expect(Self.observe(Self.opened, key: Fixture.editorKey) == ["source role-not-allowed"])
    }

    @Test func signatures() throws {
        let event = Fixture.observation(Self.opened)
        #expect(Self.validator.verifySignature(of: event) == nil)
        let forged = Fixture.observation(Self.opened, key: Fixture.strangerKey)
        #expect(Self.validator.verifySignature(of: forged)?.code == .unknownDevice)
        var object = event.jsonObject
        object["signature"] = .string(Base64URL.encode(Fixture.otherReporterKey.signature(for: event.hash)))
        let resigned = try Event(json: .object(object))
        #expect(Self.validator.verifySignature(of: resigned)?.code == .badSignature)
    }

    @Test func stationsMustBeKnown() {
        #expect(Self.observe(Self.opened, subject: "NA-248-018") == ["subject unknown-station"])
    }

    @Test func timesMustFallInTheWindow() {
        #expect(
            Self.observe(Self.opened, at: "2024-02-08T05:59:59+05:00") == [
                "time outside-window", "data.openedAt after-event-time",
            ])
        #expect(Self.observe(Self.opened, at: "2024-02-09T12:00:01+05:00") == ["time outside-window"])
        let lateOpening = Payload.stationOpened(
            StationOpened(
                openedAt: Fixture.time("2024-02-08T17:30:00+05:00"), materialsComplete: true, staffPresent: true))
        #expect(Self.observe(lateOpening, at: "2024-02-08T18:00:00+05:00") == ["data.openedAt outside-window"])
        let closedEarly = Payload.stationClosed(StationClosed(closedAt: Fixture.time("2024-02-08T07:00:00+05:00")))
        #expect(Self.observe(closedEarly) == ["data.closedAt outside-window"])
        let turnoutFuture = Payload.turnoutCounted(
            TurnoutCount(asOf: Fixture.time("2024-02-08T12:00:00+05:00"), votesCast: 1))
        #expect(Self.observe(turnoutFuture) == ["data.asOf after-event-time"])
        let incident = Payload.incidentObserved(
            Incident(
                kind: .violence, severity: .high, description: "x",
                occurredAt: Fixture.time("2024-02-07T23:00:00+05:00")))
        #expect(Self.observe(incident) == ["data.occurredAt outside-window"])
        #expect(
            Self.observe(.resultReported(Fixture.result), at: "2024-02-08T16:59:00+05:00") == ["time outside-window"])
        #expect(Self.observe(.resultReported(Fixture.result), at: "2024-02-08T12:00:00Z") == [])
    }

    @Test func countsMustFitTheStation() {
        let turnout = Payload.turnoutCounted(
            TurnoutCount(asOf: Fixture.time("2024-02-08T10:00:00+05:00"), votesCast: 1282, male: 701, female: 581))
        #expect(
            Self.observe(turnout) == [
                "data.votesCast above-registered", "data.male above-registered", "data.female above-registered",
            ])
        let queue = Payload.stationClosed(
            StationClosed(closedAt: Fixture.time("2024-02-08T10:00:00+05:00"), votersInQueue: 5000))
        #expect(Self.observe(queue) == ["data.votersInQueue above-registered"])
    }

    @Test func agentsMustBeOfPartiesStandingThere() {
        let agents = Payload.agentsObserved(
            PollingAgents(agents: ["MQM-P": .present, "PTI": .expelled, "JI": .absent, "ANP": .absent]))
        #expect(Self.observe(agents) == ["data.agents.ANP unknown-party"])
    }

    @Test func form45Results() {
        #expect(Self.observe(.resultReported(Fixture.result), at: "2024-02-08T19:00:00+05:00") == [])
        var result = Fixture.result
        result.constituency = Fixture.na247
        result.votes = [CandidateID("NA-247-C01")!: 180]
        #expect(
            Self.observe(.resultReported(result), at: "2024-02-08T19:00:00+05:00") == [
                "data.constituency constituency-not-of-station"
            ])

        result = Fixture.result
        result.votes[CandidateID("NA-248-C02")!] = nil
        result.votes[CandidateID("NA-247-C01")!] = 20
        result.votes[CandidateID("NA-248-C09")!] = 30
        #expect(
            Self.observe(.resultReported(result), at: "2024-02-08T19:00:00+05:00") == [
                "data.votes.NA-247-C01 candidate-not-standing", "data.votes.NA-248-C09 unknown-candidate",
                "data.votes.NA-248-C02 missing-candidate",
            ])

        result = Fixture.result
        result.constituency = Fixture.ps125
        result.votes = [CandidateID("PS-125-C01")!: 180]
        #expect(Self.observe(.resultReported(result), at: "2024-02-08T19:00:00+05:00") == [])

        result = Fixture.result
        result.registeredVoters = 2000
        result.votes[CandidateID("NA-248-C01")!] = 1200
        result.totalCast = 1285
        #expect(
            Self.observe(.resultReported(result), at: "2024-02-08T19:00:00+05:00") == [
                "data.totalCast above-registered"
            ])
    }

    @Test func corrections() {
        let original = Fixture.observation(.resultReported(Fixture.result), at: "2024-02-08T19:00:00+05:00", seq: 3)
        var fixed = Fixture.result
        fixed.votes[CandidateID("NA-248-C01")!] = 101
        fixed.totalCast = 186
        let correction = Correction(
            corrects: original.id, reason: "misread a digit", change: .replacement(.resultReported(fixed)))
        let event = Fixture.observation(.reportCorrected(correction), at: "2024-02-10T09:00:00+05:00", seq: 4)
        #expect(Self.problems(event, correcting: .found(original)) == [])
        #expect(Self.problems(event) == [])
        #expect(Self.problems(event, correcting: .notFound) == ["data.corrects unknown-event"])

        let othersEvent = Fixture.observation(
            .resultReported(Fixture.result), at: "2024-02-08T19:00:00+05:00", key: Fixture.otherReporterKey)
        #expect(Self.problems(event, correcting: .found(othersEvent)) == ["data.corrects source-mismatch"])

        let later = Fixture.observation(.resultReported(Fixture.result), at: "2024-02-08T19:00:00+05:00", seq: 9)
        #expect(Self.problems(event, correcting: .found(later)) == ["data.corrects not-correctable"])

        let turnout = Fixture.observation(
            .turnoutCounted(TurnoutCount(asOf: Fixture.time("2024-02-08T10:00:00+05:00"), votesCast: 5)), seq: 2)
        #expect(Self.problems(event, correcting: .found(turnout)) == ["data.replacement.type type-mismatch"])

        let earlierCorrection = Fixture.observation(
            .reportCorrected(Correction(corrects: EventID.random(), reason: "x", change: .retraction)), seq: 2)
        #expect(Self.problems(event, correcting: .found(earlierCorrection)) == ["data.corrects not-correctable"])

        let retraction = Fixture.observation(
            .reportCorrected(Correction(corrects: original.id, reason: "wrong seat", change: .retraction)),
            at: "2024-02-10T09:00:00+05:00", subject: "NA-248-017", seq: 4)
        #expect(Self.problems(retraction, correcting: .found(original)) == [])
        let elsewhere = Fixture.observation(
            .resultReported(Fixture.result), at: "2024-02-08T19:00:00+05:00", subject: "NA-248-001", seq: 3)
        #expect(Self.problems(retraction, correcting: .found(elsewhere)) == ["subject subject-mismatch"])

        var broken = fixed
        broken.votes[CandidateID("NA-248-C01")!] = 5000
        broken.totalCast = 5085
        broken.registeredVoters = 6000
        let badReplacement = Fixture.observation(
            .reportCorrected(
                Correction(corrects: original.id, reason: "x", change: .replacement(.resultReported(broken)))),
            at: "2024-02-16T09:00:00+05:00", seq: 4)
        #expect(
            Self.problems(badReplacement) == [
                "time outside-window", "data.replacement.data.totalCast above-registered",
            ])
    }

    @Test func referenceEventsAgainstWhatIsKnown() throws {
        func reference(_ payload: Payload) -> [String] {
            let event = try! Event.sign(
                EventDraft(payload: payload, time: Fixture.referenceTime), seq: 99, prevHash: SHA256Digest.hash([1]),
                key: Fixture.serverKey, device: .server)
            return Self.validator.validate(event).summary
        }
        let station = PollingStation(
            code: StationCode("NA-248-200")!, name: "x", provincial: Fixture.ps84,
            voters: RegisteredVoters(male: 1, female: 1, total: 2))
        #expect(reference(.stationDefined(station)) == ["data.provincial district-mismatch"])
        let lost = PollingStation(
            code: StationCode("NA-250-001")!, name: "x", provincial: ConstituencyCode("PS-130")!,
            voters: RegisteredVoters(male: 1, female: 1, total: 2))
        #expect(
            reference(.stationDefined(lost)) == [
                "data.national unknown-constituency", "data.provincial unknown-constituency",
            ])
        // A station voting for the National Assembly only (as in Islamabad) needs no provincial seat.
        let nationalOnly = PollingStation(
            code: StationCode("NA-248-201")!, name: "x", provincial: nil,
            voters: RegisteredVoters(male: 1, female: 1, total: 2))
        #expect(reference(.stationDefined(nationalOnly)) == [])
        #expect(Self.validator.validate(reference: .stationDefined(nationalOnly)).isEmpty)
        #expect(
            reference(
                .candidateDefined(Candidate(id: CandidateID("NA-250-C01")!, name: "x", affiliation: .party("PPP"))))
                == ["data.constituency unknown-constituency"])
        #expect(
            reference(.serverIdentified(ServerIdentity(publicKey: Fixture.strangerKey.publicKey, name: "x"))) == [
                "data.publicKey already-defined"
            ])
        #expect(
            reference(
                .deviceEnrolled(
                    DeviceEnrollment(publicKey: Fixture.revokedKey.publicKey, reporter: "x", role: .reporter)))
                == ["data.device device-revoked"])
        #expect(
            reference(.deviceRevoked(DeviceRevocation(device: Fixture.revokedKey.publicKey.deviceID, reason: "x"))) == [
                "data.device device-revoked"
            ])
        #expect(
            reference(.deviceRevoked(DeviceRevocation(device: Fixture.strangerKey.publicKey.deviceID, reason: "x")))
                == [
                    "data.device unknown-device"
                ])
        let empty = EventValidator(reference: ReferenceData())
        let first = try Event.sign(
            EventDraft(
                payload: .constituencyDefined(Constituency(code: Fixture.na248, name: "x", district: "y")),
                time: Fixture.referenceTime),
            seq: 1, prevHash: .zero, key: Fixture.serverKey, device: .server)
        #expect(empty.validate(first).summary == ["type unknown-device"])
    }

    @Test func messagesReadWell() {
        let event = Fixture.observation(Self.opened, subject: "NA-248-018")
        let error = Self.validator.validate(event)[0]
        #expect(
            error.description
                == "subject: NA-248-018 is not a known polling station (allowed: a station defined in the reference data)"
        )
        let early = Fixture.observation(Self.opened, at: "2024-02-08T05:00:00+05:00")
        #expect(
            Self.validator.validate(early)[0].description
                == "time: 2024-02-08T05:00:00+05:00 is before the allowed window (allowed: from 2024-02-08T06:00:00+05:00 to 2024-02-09T12:00:00+05:00)"
        )
    }
}
