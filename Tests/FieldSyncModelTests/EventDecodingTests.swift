import Testing

@testable import FieldSyncModel

/// Every problem `Event(json:)` reports, each with its field and code, and all of them at once.
@Suite struct EventDecodingTests {
    static let turnout = Payload.turnoutCounted(
        TurnoutCount(asOf: Fixture.time("2024-02-08T10:55:00+05:00"), votesCast: 300, male: 200, female: 100))
    static let base = Fixture.observationObject(turnout)

    static func errors(_ change: (inout [String: JSONValue]) -> Void) -> [String] {
        var object = base
        change(&object)
        return Fixture.decodeErrors(object).summary
    }

    static func dataErrors(_ type: EventType, _ data: JSONValue, subject: String = "NA-248-017") -> [String] {
        errors {
            $0["type"] = .string(type.rawValue)
            $0["data"] = data
            $0["subject"] = .string(subject)
        }
    }

    @Test func theBaseEventReads() {
        #expect(Fixture.decodeErrors(Self.base).isEmpty)
    }

    @Test func envelopeMembers() {
        #expect(Self.errors { $0["specversion"] = "0.3" } == ["specversion not-allowed"])
        #expect(Self.errors { $0["specversion"] = nil } == ["specversion missing-member"])
        #expect(Self.errors { $0["id"] = "6F9619FF-8B86-D011-B42D-00C04FC964FF" } == ["id invalid-format"])
        #expect(Self.errors { $0["id"] = 12 } == ["id wrong-type"])
        #expect(Self.errors { $0["source"] = "/devices/ABC" } == ["source invalid-format"])
        #expect(Self.errors { $0["source"] = "/server" } == ["source source-mismatch"])
        #expect(Self.errors { $0["type"] = "fieldsync.turnout.counted.v2" } == ["type unknown-version"])
        #expect(Self.errors { $0["type"] = "fieldsync.turnout.guessed.v1" } == ["type unknown-type"])
        #expect(Self.errors { $0["time"] = "2024-02-08 11:00" } == ["time invalid-format"])
        #expect(Self.errors { $0["time"] = "2024-02-08T11:00:00" } == ["time invalid-format"])
        #expect(Self.errors { $0["subject"] = "NA-248" } == ["subject invalid-format"])
        #expect(Self.errors { $0["datacontenttype"] = "text/plain" } == ["datacontenttype not-allowed"])
        #expect(Self.errors { $0["data"] = "x" } == ["data wrong-type"])
        #expect(Self.errors { $0["seq"] = 0 } == ["seq out-of-range"])
        #expect(Self.errors { $0["seq"] = "1" } == ["seq wrong-type"])
        #expect(
            Self.errors { $0["prevhash"] = .string(String(repeating: "A", count: 64)) } == ["prevhash invalid-format"])
        #expect(
            Self.errors { $0["prevhash"] = .string(String(repeating: "1", count: 64)) } == ["prevhash chain-broken"])
        #expect(Self.errors { $0["signature"] = "abc" } == ["signature invalid-format"])
        #expect(
            Self.errors { $0["signature"] = .string(Base64URL.encode([UInt8](repeating: 1, count: 63))) } == [
                "signature invalid-format"
            ])
        #expect(Self.errors { $0["extra"] = 1 } == ["extra unknown-member"])
        #expect(Self.errors { $0["position"] = 1 } == ["position not-allowed"])
    }

    @Test func collectsEveryProblemAtOnce() {
        let errors = Self.errors {
            $0["id"] = nil
            $0["seq"] = -1
            $0["data"] = ["asOf": "yesterday", "votesCast": -3, "male": "x", "colour": "blue"]
        }
        #expect(
            Set(errors) == [
                "id missing-member", "seq out-of-range", "data.asOf invalid-format", "data.votesCast out-of-range",
                "data.male wrong-type", "data.colour unknown-member",
            ])
    }

    @Test func readsMessagesThatMakeSense() throws {
        var object = Self.base
        object["data"] = ["asOf": "2024-02-08T10:55:00+05:00", "votesCast": -3]
        let error = try #require(Fixture.decodeErrors(object).first)
        #expect(error.description == "data.votesCast: -3 is negative (allowed: an integer from 0 to 9007199254740991)")
        #expect(
            error.jsonValue
                == [
                    "field": "data.votesCast", "code": "out-of-range", "problem": "-3 is negative",
                    "allowed": "an integer from 0 to 9007199254740991",
                ])
    }

    @Test func referencePayloads() {
        let serverSource: (inout [String: JSONValue]) -> Void = { $0["source"] = "/server" }
        func reference(_ type: EventType, _ data: JSONValue, subject: String) -> [String] {
            Self.errors {
                serverSource(&$0)
                $0["type"] = .string(type.rawValue)
                $0["data"] = data
                $0["subject"] = .string(subject)
            }
        }
        let constituency: JSONValue = [
            "code": "NA-248", "name": "Karachi Central-II", "district": "Central", "assembly": "national",
        ]
        #expect(reference(.constituencyDefined, constituency, subject: "NA-248") == [])
        #expect(reference(.constituencyDefined, constituency, subject: "NA-247") == ["subject subject-mismatch"])
        var wrongAssembly = constituency.objectValue!
        wrongAssembly["assembly"] = "provincial"
        #expect(
            reference(.constituencyDefined, .object(wrongAssembly), subject: "NA-248") == ["data.assembly not-allowed"])
        wrongAssembly["assembly"] = "senate"
        #expect(
            reference(.constituencyDefined, .object(wrongAssembly), subject: "NA-248") == ["data.assembly not-allowed"])
        var badCode = constituency.objectValue!
        badCode["code"] = "NA-0248"
        #expect(reference(.constituencyDefined, .object(badCode), subject: "NA-0248") == ["data.code invalid-format"])
        var longName = constituency.objectValue!
        longName["name"] = .string(String(repeating: "x", count: 201))
        #expect(reference(.constituencyDefined, .object(longName), subject: "NA-248") == ["data.name too-long"])
        longName["name"] = "two\nlines"
        #expect(reference(.constituencyDefined, .object(longName), subject: "NA-248") == ["data.name invalid-format"])
        longName["name"] = ""
        #expect(reference(.constituencyDefined, .object(longName), subject: "NA-248") == ["data.name empty"])

        let station: JSONValue = [
            "code": "NA-248-017", "name": "School (synthetic)", "national": "NA-248", "provincial": "PS-125",
            "voters": ["male": 10, "female": 10, "total": 20], "synthetic": true,
        ]
        #expect(reference(.stationDefined, station, subject: "NA-248-017") == [])
        var s = station.objectValue!
        s["national"] = "NA-247"
        #expect(reference(.stationDefined, .object(s), subject: "NA-248-017") == ["data.national not-allowed"])
        s = station.objectValue!
        s["provincial"] = "NA-247"
        #expect(reference(.stationDefined, .object(s), subject: "NA-248-017") == ["data.provincial invalid-format"])
        for seat in ["PP-297", "PK-1", "PB-51"] {
            s["provincial"] = .string(seat)
            #expect(reference(.stationDefined, .object(s), subject: "NA-248-017") == [], "\(seat)")
        }
        // Islamabad's stations vote for the National Assembly only.
        s["provincial"] = nil
        s["code"] = "NA-46-001"
        s["national"] = "NA-46"
        #expect(reference(.stationDefined, .object(s), subject: "NA-46-001") == [])
        #expect(
            PollingStation(
                code: StationCode("NA-46-001")!, name: "x", provincial: nil, voters: .init(male: 1, female: 1, total: 2)
            ).jsonValue["provincial"] == nil)
        s = station.objectValue!
        s["voters"] = ["male": 10, "female": 11, "total": 20]
        #expect(reference(.stationDefined, .object(s), subject: "NA-248-017") == ["data.voters.total totals-mismatch"])
        s["voters"] = ["male": 10, "female": 10]
        #expect(reference(.stationDefined, .object(s), subject: "NA-248-017") == ["data.voters.total missing-member"])

        let candidate: JSONValue = ["id": "NA-248-C07", "constituency": "NA-248", "name": "X", "party": "MQM-P"]
        #expect(reference(.candidateDefined, candidate, subject: "NA-248-C07") == [])
        var c = candidate.objectValue!
        c["party"] = nil
        c["independent"] = true
        c["backedBy"] = "PTI"
        #expect(reference(.candidateDefined, .object(c), subject: "NA-248-C07") == [])
        c["independent"] = false
        #expect(reference(.candidateDefined, .object(c), subject: "NA-248-C07") == ["data.independent not-allowed"])
        c = candidate.objectValue!
        c["independent"] = true
        #expect(reference(.candidateDefined, .object(c), subject: "NA-248-C07") == ["data.independent not-allowed"])
        c = candidate.objectValue!
        c["backedBy"] = "PTI"
        #expect(reference(.candidateDefined, .object(c), subject: "NA-248-C07") == ["data.backedBy not-allowed"])
        c = candidate.objectValue!
        c["party"] = nil
        #expect(reference(.candidateDefined, .object(c), subject: "NA-248-C07") == ["data.party missing-member"])
        c = candidate.objectValue!
        c["constituency"] = "NA-247"
        #expect(reference(.candidateDefined, .object(c), subject: "NA-248-C07") == ["data.constituency not-allowed"])
        c = candidate.objectValue!
        c["party"] = "MQM P"
        #expect(reference(.candidateDefined, .object(c), subject: "NA-248-C07") == ["data.party invalid-format"])

        let key = Fixture.reporterKey.publicKey
        let enrollment: JSONValue = [
            "device": .string(key.deviceID.rawValue), "publicKey": .string(key.base64URL), "reporter": "Sana",
            "role": "reporter",
        ]
        #expect(reference(.deviceEnrolled, enrollment, subject: key.deviceID.rawValue) == [])
        var e = enrollment.objectValue!
        e["device"] = .string(Fixture.editorKey.publicKey.deviceID.rawValue)
        #expect(
            reference(.deviceEnrolled, .object(e), subject: Fixture.editorKey.publicKey.deviceID.rawValue) == [
                "data.device source-mismatch"
            ])
        e = enrollment.objectValue!
        e["role"] = "boss"
        #expect(reference(.deviceEnrolled, .object(e), subject: key.deviceID.rawValue) == ["data.role not-allowed"])
        e["publicKey"] = "AAAA"
        #expect(
            Set(reference(.deviceEnrolled, .object(e), subject: key.deviceID.rawValue)) == [
                "data.role not-allowed", "data.publicKey invalid-format",
            ])
        #expect(
            reference(.serverIdentified, ["publicKey": .string(key.base64URL), "name": "S"], subject: "server") == [])
        #expect(
            reference(.serverIdentified, ["publicKey": .string(key.base64URL), "name": "S"], subject: "srv") == [
                "subject subject-mismatch"
            ])
        #expect(
            reference(
                .deviceRevoked, ["device": .string(key.deviceID.rawValue), "reason": "lost"],
                subject: key.deviceID.rawValue)
                == [])
        #expect(
            reference(.deviceRevoked, ["device": "server", "reason": "lost"], subject: "server") == [
                "data.device invalid-format"
            ])
    }

    @Test func observationPayloads() {
        #expect(
            Self.dataErrors(
                .stationOpened,
                ["openedAt": "2024-02-08T08:00:00+05:00", "materialsComplete": true, "staffPresent": false]) == [])
        #expect(
            Set(Self.dataErrors(.stationOpened, ["openedAt": "08:00", "materialsComplete": "yes"])) == [
                "data.openedAt invalid-format", "data.materialsComplete wrong-type", "data.staffPresent missing-member",
            ])
        #expect(Self.dataErrors(.stationClosed, ["closedAt": "2024-02-08T17:00:00+05:00"]) == [])
        #expect(
            Self.dataErrors(.stationClosed, ["closedAt": "2024-02-08T17:00:00+05:00", "votersInQueue": -1]) == [
                "data.votersInQueue out-of-range"
            ])
        #expect(Self.dataErrors(.agentsObserved, ["agents": ["PPP": "present", "MQM-P": "expelled"]]) == [])
        #expect(Self.dataErrors(.agentsObserved, ["agents": ["PPP": "asleep"]]) == ["data.agents.PPP not-allowed"])
        #expect(Self.dataErrors(.agentsObserved, ["agents": ["P P": "present"]]) == ["data.agents.P P invalid-format"])
        #expect(Self.dataErrors(.agentsObserved, ["agents": .object([:])]) == ["data.agents empty"])
        #expect(
            Self.dataErrors(
                .turnoutCounted, ["asOf": "2024-02-08T10:00:00+05:00", "votesCast": 10, "male": 6, "female": 5]) == [
                    "data.male totals-mismatch"
                ])
        let incident: [String: JSONValue] = [
            "kind": "violence", "severity": "high", "description": "Shots fired.\nTwo hurt.",
        ]
        #expect(Self.dataErrors(.incidentObserved, .object(incident)) == [])
        var i = incident
        i["kind"] = "riot"
        i["severity"] = "extreme"
        #expect(
            Set(Self.dataErrors(.incidentObserved, .object(i))) == [
                "data.kind not-allowed", "data.severity not-allowed",
            ])
        i = incident
        i["description"] = .string(String(repeating: "é", count: 2001))
        #expect(Self.dataErrors(.incidentObserved, .object(i)) == ["data.description too-long"])
        i["description"] = .string(String(repeating: "é", count: 2000))
        #expect(Self.dataErrors(.incidentObserved, .object(i)) == [])
        for kind in IncidentKind.allCases {
            i["kind"] = .string(kind.rawValue)
            #expect(Self.dataErrors(.incidentObserved, .object(i)) == [])
        }
    }

    @Test func form45Shapes() {
        let result = Fixture.result.jsonValue.objectValue!
        #expect(Self.dataErrors(.resultReported, .object(result)) == [])
        var r = result
        r["totalCast"] = 186
        #expect(Self.dataErrors(.resultReported, .object(r)) == ["data.totalCast totals-mismatch"])
        r = result
        r["registeredVoters"] = 100
        #expect(Self.dataErrors(.resultReported, .object(r)) == ["data.totalCast above-registered"])
        r = result
        r["votes"] = ["NA-248-C01": -1, "NA-248-X": 3]
        #expect(
            Set(Self.dataErrors(.resultReported, .object(r))) == [
                "data.votes.NA-248-C01 out-of-range", "data.votes.NA-248-X invalid-format",
            ])
        r = result
        r["photoSha256"] = "abc"
        #expect(Self.dataErrors(.resultReported, .object(r)) == ["data.photoSha256 invalid-format"])
        r["photoSha256"] = .string(SHA256Digest.hash([1]).hex)
        #expect(Self.dataErrors(.resultReported, .object(r)) == [])
        r = result
        r["votes"] = .object([:])
        #expect(Set(Self.dataErrors(.resultReported, .object(r))) == ["data.votes empty"])
    }

    /// `photoSize` and `photoType` come together, beside `photoSha256`; a result without them (as
    /// written before photos were uploaded) stays valid.
    @Test func form45PhotoMembers() {
        var r = Fixture.result.jsonValue.objectValue!
        r["photoSha256"] = .string(SHA256Digest.hash([1]).hex)
        #expect(Self.dataErrors(.resultReported, .object(r)) == [])
        r["photoSize"] = 1_234_567
        r["photoType"] = "image/jpeg"
        #expect(Self.dataErrors(.resultReported, .object(r)) == [])
        guard case .resultReported(let decoded)? = try? Payload.decode(type: .resultReported, data: .object(r)) else {
            Issue.record("a result with its photo's size and type does not decode")
            return
        }
        #expect(decoded.photo == PhotoReference(sha256: .hash([1]), size: 1_234_567, type: .jpeg))
        #expect(decoded.jsonValue == .object(r))
        r["photoType"] = "image/gif"
        #expect(Self.dataErrors(.resultReported, .object(r)) == ["data.photoType not-allowed"])
        r["photoType"] = "image/png"
        r["photoSize"] = .integer(Int64(PhotoType.maximumBytes) + 1)
        #expect(Self.dataErrors(.resultReported, .object(r)) == ["data.photoSize out-of-range"])
        r["photoSize"] = 0
        #expect(Self.dataErrors(.resultReported, .object(r)) == ["data.photoSize out-of-range"])
        r["photoSize"] = nil
        #expect(Self.dataErrors(.resultReported, .object(r)) == ["data.photoSize missing-member"])
        r["photoSize"] = 10
        r["photoSha256"] = nil
        #expect(
            Set(Self.dataErrors(.resultReported, .object(r))) == [
                "data.photoSize not-allowed", "data.photoType not-allowed",
            ])
    }

    @Test func photoTypesAreToldByTheirFirstBytes() throws {
        #expect(PhotoType(magic: [0xFF, 0xD8, 0xFF, 0xE1, 0]) == .jpeg)
        #expect(PhotoType(magic: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
        #expect(PhotoType(magic: Array("GIF89a".utf8)) == nil)
        #expect(PhotoType(magic: [0x89, 0x50, 0x4E, 0x47]) == nil)
        #expect(throws: PhotoProblem.notAnImage) { try PhotoReference(of: Array("%PDF-1.7".utf8)) }
        #expect(throws: PhotoProblem.empty) { try PhotoReference(of: []) }
        let large = [0xFF, 0xD8, 0xFF] + [UInt8](repeating: 0, count: PhotoType.maximumBytes - 2)
        #expect(throws: PhotoProblem.tooLarge(PhotoType.maximumBytes + 1)) { try PhotoReference(of: large) }
        let photo = try PhotoReference(of: [0xFF, 0xD8, 0xFF, 1, 2])
        #expect(photo == PhotoReference(sha256: .hash([0xFF, 0xD8, 0xFF, 1, 2]), size: 5, type: .jpeg))
    }

    @Test func correctionShapes() {
        let id = EventID.random().description
        let retraction: JSONValue = ["corrects": .string(id), "reason": "wrong station", "retracted": true]
        #expect(Self.dataErrors(.reportCorrected, retraction) == [])
        let replacement: JSONValue = [
            "corrects": .string(id), "reason": "typo",
            "replacement": [
                "type": "fieldsync.turnout.counted.v1", "data": ["asOf": "2024-02-08T10:00:00+05:00", "votesCast": 12],
            ],
        ]
        #expect(Self.dataErrors(.reportCorrected, replacement) == [])
        var r = replacement.objectValue!
        r["replacement"] = [
            "type": "fieldsync.turnout.counted.v1", "data": ["asOf": "2024-02-08T10:00:00+05:00", "votesCast": -12],
        ]
        #expect(Self.dataErrors(.reportCorrected, .object(r)) == ["data.replacement.data.votesCast out-of-range"])
        r["replacement"] = ["type": "fieldsync.constituency.defined.v1", "data": .object([:])]
        #expect(Self.dataErrors(.reportCorrected, .object(r)) == ["data.replacement.type not-correctable"])
        r["replacement"] = ["type": "fieldsync.report.corrected.v1", "data": .object([:])]
        #expect(Self.dataErrors(.reportCorrected, .object(r)) == ["data.replacement.type not-correctable"])
        r["replacement"] = ["data": .object([:])]
        #expect(Self.dataErrors(.reportCorrected, .object(r)) == ["data.replacement.type missing-member"])
        r = replacement.objectValue!
        r["retracted"] = true
        #expect(Self.dataErrors(.reportCorrected, .object(r)) == ["data.retracted not-allowed"])
        r = retraction.objectValue!
        r["retracted"] = false
        #expect(Self.dataErrors(.reportCorrected, .object(r)) == ["data.retracted not-allowed"])
        r["retracted"] = nil
        #expect(Self.dataErrors(.reportCorrected, .object(r)) == ["data.replacement missing-member"])
        r = retraction.objectValue!
        r["corrects"] = "nope"
        r["reason"] = nil
        #expect(
            Set(Self.dataErrors(.reportCorrected, .object(r))) == [
                "data.corrects invalid-format", "data.reason missing-member",
            ])
    }

    @Test func invalidJSONIsReportedAsOneError() {
        var parser = EventParser()
        #expect(
            throws: EventDecodingError([
                FieldError(
                    field: "", code: .invalidJSON,
                    problem: "invalid JSON at byte 8: numbers must be integers (no fraction, no exponent)",
                    allowed: "JSON (RFC 8259) with integer numbers only, no duplicate members, no U+0000")
            ])
        ) {
            try parser.parse(Array(#"{"seq": 1.5}"#.utf8))
        }
    }

    @Test func batchesGiveOneResultPerEvent() throws {
        let good = Fixture.observation(Self.turnout)
        var broken = good.jsonObject
        broken["seq"] = 0
        let batch = CanonicalJSON.bytes(.array([good.jsonValue, .object(broken), 5]))
        var parser = EventParser()
        let results = try parser.parseBatch(batch)
        #expect(results.count == 3)
        #expect(try results[0].get() == good)
        #expect(throws: EventDecodingError.self) { try results[1].get() }
        #expect(throws: EventDecodingError.self) { try results[2].get() }
        #expect(throws: EventDecodingError.self) { try parser.parseBatch(Array("{}".utf8)) }
    }
}
