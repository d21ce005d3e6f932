@testable import FieldSyncModel

/// The test vectors of `Schema/vectors/`, built from fixed seeds so that they come out the same,
/// byte for byte, on every run. `VectorTests` compares the files with this and checks every vector.
/// To write the files again after a deliberate change: `FIELDSYNC_WRITE_VECTORS=1 swift test
/// --filter VectorTests`.
struct ProtocolVectors {
    struct Key {
        var name: String
        var seed: [UInt8]
        var key: SigningKey
    }

    /// Test-only keys: the private seed of each is SHA-256 of `fieldsync-vectors/<name>`.
    static func key(_ name: String) -> Key {
        let seed = SHA256Digest.hash("fieldsync-vectors/" + name).bytes
        return Key(name: name, seed: seed, key: try! SigningKey(rawRepresentation: seed))
    }

    let server = key("server")
    let reporter1 = key("reporter-1")
    let reporter2 = key("reporter-2")
    let intruder = key("intruder")
    let editor = key("editor")

    /// The valid log, in position order, each event with its vector name.
    private(set) var log: [(name: String, event: Event)] = []
    private(set) var stored: [StoredEvent] = []
    private(set) var head: [String: JSONValue] = [:]
    private var random = SplitMix64(seed: 0xF1E1_D5E7)
    private var chains: [DeviceID: DeviceChain] = [:]

    static let na248 = ConstituencyCode("NA-248")!
    static let ps125 = ConstituencyCode("PS-125")!
    static let station = StationCode("NA-248-017")!
    static let referenceTime = ObservedTime("2024-01-25T09:00:00+05:00")!
    static let headTime = "2024-02-09T05:30:00.000000Z"

    init() {
        let serverKey = server.key
        let r2 = reporter2.key.publicKey.deviceID
        func c(_ text: String) -> CandidateID { CandidateID(text)! }
        func t(_ text: String) -> ObservedTime { ObservedTime(text)! }

        let reference: [(String, Payload)] = [
            (
                "server-identified",
                .serverIdentified(ServerIdentity(publicKey: serverKey.publicKey, name: "FieldSync test vectors"))
            ),
            ("election-karachi-2024", .electionDefined(KarachiDemo.election)),
            (
                "constituency-na-248",
                .constituencyDefined(Constituency(code: Self.na248, name: "Karachi Central-II", district: "Central"))
            ),
            (
                "constituency-ps-125",
                .constituencyDefined(
                    Constituency(
                        code: Self.ps125, name: "Karachi Central PS-3 (synthetic)", district: "Central", synthetic: true
                    ))
            ),
            (
                "station-na-248-017",
                .stationDefined(
                    PollingStation(
                        code: Self.station, name: "Govt. Boys Primary School No. 3, booth 1 (synthetic)",
                        provincial: Self.ps125,
                        voters: RegisteredVoters(male: 700, female: 580, total: 1281), synthetic: true))
            ),
            (
                "candidate-na-248-c01",
                .candidateDefined(
                    Candidate(
                        id: c("NA-248-C01"), name: "Ahmed Siddiqui (synthetic)", affiliation: .party("MQM-P"),
                        synthetic: true))
            ),
            (
                "candidate-na-248-c02",
                .candidateDefined(
                    Candidate(
                        id: c("NA-248-C02"), name: "Hina Memon (synthetic)", affiliation: .party("PPP"), synthetic: true
                    ))
            ),
            (
                "candidate-na-248-c03",
                .candidateDefined(
                    Candidate(
                        id: c("NA-248-C03"), name: "Usman Khan (synthetic)", affiliation: .independent(backedBy: "PTI"),
                        synthetic: true))
            ),
            (
                "candidate-na-248-c04",
                .candidateDefined(
                    Candidate(
                        id: c("NA-248-C04"), name: "Farah Zaidi (synthetic)", affiliation: .independent(backedBy: nil),
                        synthetic: true))
            ),
            (
                "candidate-ps-125-c01",
                .candidateDefined(
                    Candidate(
                        id: c("PS-125-C01"), name: "Saad Ansari (synthetic)", affiliation: .party("JI"), synthetic: true
                    ))
            ),
            (
                "candidate-ps-125-c02",
                .candidateDefined(
                    Candidate(
                        id: c("PS-125-C02"), name: "Rabia Soomro (synthetic)", affiliation: .party("PPP"),
                        synthetic: true))
            ),
            (
                "device-enrolled-reporter-1",
                .deviceEnrolled(
                    DeviceEnrollment(
                        publicKey: reporter1.key.publicKey, reporter: "Sana Rizvi (synthetic)", role: .reporter))
            ),
            (
                "device-assigned-reporter-1",
                .deviceAssigned(
                    StationAssignment(
                        device: reporter1.key.publicKey.deviceID, stations: [Self.station], constituencies: []))
            ),
            (
                "device-enrolled-reporter-2",
                .deviceEnrolled(
                    DeviceEnrollment(
                        publicKey: reporter2.key.publicKey, reporter: "Ali Baloch (synthetic)", role: .reporter))
            ),
            (
                "device-assigned-reporter-2",
                .deviceAssigned(StationAssignment(device: r2, stations: [], constituencies: [Self.ps125]))
            ),
            (
                "device-enrolled-editor",
                .deviceEnrolled(
                    DeviceEnrollment(publicKey: editor.key.publicKey, reporter: "Newsroom (synthetic)", role: .editor))
            ),
        ]
        for (name, payload) in reference {
            append(
                "server/" + name, EventDraft(payload: payload, time: Self.referenceTime), key: serverKey,
                device: .server)
        }

        let station = Self.station.rawValue
        let result = Form45Result(
            constituency: Self.na248, registeredVoters: 1281,
            votes: [c("NA-248-C01"): 402, c("NA-248-C02"): 198, c("NA-248-C03"): 371, c("NA-248-C04"): 12],
            rejected: 17,
            totalCast: 1000, photoSha256: SHA256Digest.hash("photo of the Form-45 of NA-248-017"))
        var fixed = result
        fixed.votes[c("NA-248-C02")] = 189
        fixed.totalCast = 991
        let observations: [(String, SigningKey, Payload, String)] = [
            (
                "reporter-1/station-opened", reporter1.key,
                .stationOpened(
                    StationOpened(
                        openedAt: t("2024-02-08T08:05:00+05:00"), materialsComplete: true, staffPresent: false)),
                "2024-02-08T08:06:12+05:00"
            ),
            (
                "reporter-1/agents-observed", reporter1.key,
                .agentsObserved(
                    PollingAgents(agents: ["MQM-P": .present, "PPP": .present, "PTI": .expelled, "JI": .absent])),
                "2024-02-08T09:00:00+05:00"
            ),
            (
                "reporter-1/turnout-counted", reporter1.key,
                .turnoutCounted(
                    TurnoutCount(asOf: t("2024-02-08T11:00:00+05:00"), votesCast: 412, male: 250, female: 162)),
                "2024-02-08T11:02:30.250+05:00"
            ),
            (
                "reporter-1/incident-observed", reporter1.key,
                .incidentObserved(
                    Incident(
                        kind: .votersTurnedAway, severity: .medium,
                        description:
                            "Voters without a \"parchi\" were sent away at the gate.\nپولنگ اسٹیشن کے باہر قطار — about 40 people.",
                        occurredAt: t("2024-02-08T12:30:00+05:00"))),
                "2024-02-08T12:41:00+05:00"
            ),
            (
                "reporter-2/turnout-counted", reporter2.key,
                .turnoutCounted(TurnoutCount(asOf: t("2024-02-08T16:00:00+05:00"), votesCast: 950)),
                "2024-02-08T11:05:00Z"
            ),
            (
                "reporter-1/station-closed", reporter1.key,
                .stationClosed(StationClosed(closedAt: t("2024-02-08T17:00:00+05:00"), votersInQueue: 35)),
                "2024-02-08T17:04:00+05:00"
            ),
            ("reporter-1/result-reported", reporter1.key, .resultReported(result), "2024-02-08T19:30:00+05:00"),
            (
                "reporter-2/result-reported", reporter2.key,
                .resultReported(
                    Form45Result(
                        constituency: Self.ps125, registeredVoters: 1281,
                        votes: [c("PS-125-C01"): 500, c("PS-125-C02"): 450],
                        rejected: 20, totalCast: 970)),
                "2024-02-08T20:00:00+05:00"
            ),
        ]
        for (name, key, payload, time) in observations {
            append(
                name, EventDraft(payload: payload, subject: station, time: ObservedTime(time)!), key: key, device: nil)
        }
        let resultID = log.first { $0.name == "reporter-1/result-reported" }!.event.id
        let incidentID = log.first { $0.name == "reporter-1/incident-observed" }!.event.id
        append(
            "reporter-1/report-corrected-replacement",
            EventDraft(
                payload: .reportCorrected(
                    Correction(
                        corrects: resultID, reason: "Misread 189 as 198 on the Form-45.",
                        change: .replacement(.resultReported(fixed)))),
                subject: station, time: t("2024-02-08T20:10:00+05:00")),
            key: reporter1.key, device: nil)
        let replacementID = log.last!.event.id
        append(
            "server/report-reviewed-verified",
            EventDraft(
                payload: .reportReviewed(
                    ReportReview(
                        station: Self.station, verifying: Self.na248, events: [resultID, replacementID],
                        editor: editor.key.publicKey.deviceID,
                        reason: "Checked against the photo of the signed Form-45.")),
                time: t("2024-02-08T21:00:00+05:00")),
            key: serverKey, device: .server)
        append(
            "reporter-1/report-corrected-retraction",
            EventDraft(
                payload: .reportCorrected(
                    Correction(
                        corrects: incidentID, reason: "It happened at the neighbouring station.", change: .retraction)),
                subject: station, time: t("2024-02-09T09:00:00+05:00")),
            key: reporter1.key, device: nil)
        append(
            "server/official-published-form45",
            EventDraft(
                payload: .officialPublished(
                    OfficialResult(
                        form: .form45, constituency: Self.na248, station: Self.station,
                        votes: [c("NA-248-C01"): 402, c("NA-248-C02"): 189, c("NA-248-C03"): 379, c("NA-248-C04"): 12],
                        rejected: 17, totalCast: 999, sourceURL: "https://www.ecp.gov.pk/results/NA-248/form45.csv",
                        fileSha256: SHA256Digest.hash("the commission's Form-45 file of NA-248"),
                        editor: editor.key.publicKey.deviceID)),
                time: t("2024-02-09T09:30:00+05:00")),
            key: serverKey, device: .server)
        append(
            "server/device-revoked-reporter-2",
            EventDraft(
                payload: .deviceRevoked(DeviceRevocation(device: r2, reason: "Laptop reported lost.")),
                time: t("2024-02-09T10:00:00+05:00")),
            key: serverKey, device: .server)

        stored = Self.store(log.map(\.event))
        head = SignedObject.signed(
            [
                "type": "fieldsync.chain-head.v1", "position": .integer(stored.last!.position),
                "chain": .string(stored.last!.chain.hex),
                "time": .string(Self.headTime),
            ], with: serverKey)
    }

    private mutating func append(_ name: String, _ draft: EventDraft, key: SigningKey, device: DeviceID?) {
        let device = device ?? key.publicKey.deviceID
        var chain = chains[device] ?? DeviceChain(device: device)
        let id = EventID(high: random.next() & ~0xf000 | 0x4000, low: random.next() & ~(3 << 62) | 1 << 63)
        let event = try! chain.sign(draft, id: id, key: key)
        chains[device] = chain
        log.append((name, event))
    }

    /// The events stored in this order, received a minute after their time (the reference events
    /// on polling day's eve), each linked into the global chain.
    static func store(_ events: [Event]) -> [StoredEvent] {
        var previous = GlobalChain.genesis
        let eve = Timestamp(rfc3339: "2024-02-07T12:00:00Z")!
        return events.enumerated().map { offset, event in
            let received =
                event.type.isReference && event.type != .deviceRevoked && event.type != .reportReviewed
                    && event.type != .officialPublished
                ? eve.adding(seconds: Int64(offset))
                : event.time.instant.adding(seconds: 60).adding(seconds: Int64(offset))
            let item = StoredEvent(event: event, position: Int64(offset + 1), received: received, previous: previous)
            previous = item.chain
            return item
        }
    }

    // MARK: Files

    var files: [String: String] {
        [
            "keys.json": keysFile, "canonical.json": canonicalFile, "events.json": eventsFile,
            "export.ndjson": stored.map { $0.line + "\n" }.joined(), "head.json": PrettyJSON.string(.object(head)),
            "broken.json": brokenFile, "enrollment-codes.json": enrollmentCodesFile, "accepted.json": acceptedFile,
            "tree.json": treeFile, "cosignatures.json": cosignaturesFile, "bundles.json": bundlesFile,
        ]
    }

    var keysFile: String {
        let keys = [server, reporter1, reporter2, intruder, editor].map { key -> JSONValue in
            [
                "name": .string(key.name), "seedLabel": .string("fieldsync-vectors/" + key.name),
                "privateSeedHex": .string(Hex.encode(key.seed)), "publicKey": .string(key.key.publicKey.base64URL),
                "publicKeyHex": .string(Hex.encode(key.key.publicKey.rawRepresentation)),
                "device": .string(key.name == "server" ? "server" : key.key.publicKey.deviceID.rawValue),
                "deviceOfKey": .string(key.key.publicKey.deviceID.rawValue),
            ]
        }
        return PrettyJSON.string(
            [
                "note": "Test-only keys. Never use them for anything else: their private seeds are published here.",
                "keys": .array(keys),
            ])
    }

    /// Canonicalisation cases: input text → canonical text.
    static let canonicalInputs: [(String, String)] = [
        (
            "rfc8785-sorting",
            #"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#
        ),
        ("rfc8785-strings", #"["\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/"]"#),
        ("whitespace-and-nesting", "{ \"b\" : [ 1 , { \"d\" : null , \"c\" : true } ] ,\n\t\"a\" : \"\" }"),
        ("integers", "[0, -0, 1, -1, 9007199254740991, -9007199254740991, 120]"),
        ("controls", #"["x\u0001\u001f\u007f\u2028\ud834\udd1e", "\b\f\n\r\t"]"#),
        ("non-ascii-literal", "{\"پولنگ\":\"اسٹیشن\",\"é\":\"e\u{301}\",\"😀\":\"\u{E000}\"}"),
    ]

    var canonicalFile: String {
        let cases = Self.canonicalInputs.map { name, input -> JSONValue in
            [
                "name": .string(name), "input": .string(input),
                "canonical": .string(CanonicalJSON.string(try! JSONParser.parse(input))),
            ]
        }
        return PrettyJSON.string(["cases": .array(cases)])
    }

    var eventsFile: String {
        let keyNames: [DeviceID: String] = [
            .server: "server", reporter1.key.publicKey.deviceID: "reporter-1",
            reporter2.key.publicKey.deviceID: "reporter-2",
        ]
        let events = log.map { name, event -> JSONValue in
            [
                "name": .string(name), "signer": .string(keyNames[event.device]!), "event": event.jsonValue,
                "hashed": .string(String(decoding: event.hashedBytes, as: UTF8.self)), "hash": .string(event.hash.hex),
                "submitted": .string(String(decoding: event.canonicalBytes, as: UTF8.self)),
            ]
        }
        return PrettyJSON.string(["events": .array(events)])
    }

    // MARK: Broken vectors

    struct Broken {
        var name: String
        var kind: String
        var input: JSONValue
        var line: Int?
        var field: String
        var code: FieldError.Code
        var reason: String
        /// For an export: the server key the auditor pinned (base64url), if any.
        var serverKey: String? = nil
    }

    func event(_ name: String) -> Event { log.first { $0.name == name }!.event }

    /// `event`'s submitted JSON text with `change` applied to its object.
    func text(_ event: Event, _ change: (inout [String: JSONValue]) -> Void) -> JSONValue {
        var object = event.jsonObject
        change(&object)
        return .string(CanonicalJSON.string(.object(object)))
    }

    /// `event`'s submitted JSON text with `change` applied to its object, signed again by `key`, so that
    /// what `change` did is the only thing wrong with it.
    func resigned(_ event: Event, by key: SigningKey, _ change: (inout [String: JSONValue]) -> Void) -> JSONValue {
        var object = event.jsonObject
        change(&object)
        return .string(CanonicalJSON.string(.object(SignedObject.signed(object, with: key))))
    }

    /// The export of `events` as lines.
    func export(_ events: [Event]) -> JSONValue {
        .array(Self.store(events).map { .string($0.line) })
    }

    var broken: [Broken] {
        let turnout = event("reporter-1/turnout-counted")
        let result = event("reporter-1/result-reported")
        let r1 = reporter1.key
        var cases = [Broken]()
        func add(
            _ name: String, _ kind: String, _ input: JSONValue, line: Int? = nil, _ field: String,
            _ code: FieldError.Code, _ reason: String
        ) {
            cases.append(
                Broken(name: name, kind: kind, input: input, line: line, field: field, code: code, reason: reason))
        }
        add(
            "tampered-data", "event",
            text(turnout) {
                $0["data"] = ["asOf": "2024-02-08T11:00:00+05:00", "votesCast": 512, "male": 250, "female": 162]
            },
            "signature", .badSignature,
            "votesCast changed from 412 to 512 after signing: the hash changes, the signature no longer matches")
        add(
            "signed-by-another-key", "event",
            text(turnout) {
                $0["signature"] = .string(Base64URL.encode(self.intruder.key.signature(for: turnout.hash)))
            },
            "signature", .badSignature, "signed by a key that is not the one enrolled for the device in source")
        add(
            "padded-signature", "event",
            text(turnout) { $0["signature"] = .string(Base64URL.encode(turnout.signature) + "==") },
            "signature", .invalidFormat, "base64url must be unpadded")
        add(
            "fractional-count", "event",
            .string(
                CanonicalJSON.string(turnout.jsonValue).replacingFirst("\"votesCast\":412", with: "\"votesCast\":412.0")
            ),
            "", .invalidJSON, "numbers must be integers: 412.0 is refused even though it equals 412")
        add(
            "duplicate-member", "event",
            .string(
                CanonicalJSON.string(turnout.jsonValue).replacingFirst(
                    "\"votesCast\":412", with: "\"votesCast\":412,\"votesCast\":512")),
            "", .invalidJSON, "an object member appears twice")
        add(
            "unknown-member", "event", text(turnout) { $0["comment"] = "hi" }, "comment", .unknownMember,
            "members outside the envelope are refused")
        add(
            "unknown-data-member", "event",
            resigned(turnout, by: r1) {
                $0["data"] = ["asOf": "2024-02-08T11:00:00+05:00", "votesCast": 412, "children": 3]
            },
            "data.children", .unknownMember, "members outside the catalogue are refused")
        add(
            "unknown-version", "event", resigned(turnout, by: r1) { $0["type"] = "fieldsync.turnout.counted.v2" },
            "type",
            .unknownVersion,
            "only version 1 of each type exists")
        add(
            "uppercase-id", "event",
            resigned(turnout, by: r1) { $0["id"] = .string(turnout.id.description.uppercased()) }, "id",
            .invalidFormat, "UUIDs are written in lowercase")
        add(
            "first-event-with-prevhash", "event", resigned(turnout, by: r1) { $0["seq"] = 1 }, "prevhash",
            .chainBroken,
            "seq 1 must have a prevhash of 64 zeros")
        add(
            "server-field-in-submission", "event", text(turnout) { $0["position"] = 7 }, "position", .notAllowed,
            "only the server adds position, received and chain")
        let election = event("server/election-karachi-2024")
        func electionData(_ name: String, _ value: JSONValue) -> (inout [String: JSONValue]) -> Void {
            { object in
                var data = object["data"]!.objectValue!
                data[name] = value
                object["data"] = .object(data)
                if name == "id" { object["subject"] = value }
            }
        }
        add(
            "election-offset-beyond-14-hours", "event",
            resigned(election, by: server.key, electionData("utcOffset", "+14:30")), "data.utcOffset",
            .invalidFormat, "a UTC offset runs from -14:00 to +14:00")
        add(
            "second-election", "event", resigned(election, by: server.key, electionData("id", "lahore-2024")),
            "data.id", .alreadyDefined, "a log defines one election: another definition keeps its id")
        add(
            "negative-count", "event",
            resigned(turnout, by: r1) { $0["data"] = ["asOf": "2024-02-08T11:00:00+05:00", "votesCast": -412] },
            "data.votesCast", .outOfRange, "counts are integers ≥ 0")
        var badResult = result.payload
        if case .resultReported(var form) = badResult {
            form.totalCast = 1001
            badResult = .resultReported(form)
        }
        let resignedBad = Self.signWithoutChecks(
            EventDraft(type: result.type, subject: result.subject, time: result.time.text, data: badResult.jsonValue),
            id: result.id,
            seq: result.seq, prevHash: result.prevHash, key: r1)
        add(
            "form45-totals", "event", .string(CanonicalJSON.string(resignedBad)), "data.totalCast", .totalsMismatch,
            "402 + 198 + 371 + 12 votes + 17 rejected = 1000, not 1001 (correctly signed, still refused)")
        var missing = result.data.objectValue!
        var votes = missing["votes"]!.objectValue!
        votes["NA-248-C04"] = nil
        missing["votes"] = .object(votes)
        missing["totalCast"] = 988
        let resignedMissing = try! Event.sign(
            EventDraft(type: result.type, subject: result.subject, time: result.time.text, data: .object(missing)),
            id: result.id,
            seq: result.seq, prevHash: result.prevHash, key: r1)
        add(
            "form45-missing-candidate", "event", .string(CanonicalJSON.string(resignedMissing.jsonValue)),
            "data.votes.NA-248-C04",
            .missingCandidate, "every candidate standing in the constituency needs a count, 0 if none")
        let early = try! Event.sign(
            EventDraft(
                type: .incidentObserved, subject: turnout.subject, time: "2024-02-08T05:00:00+05:00",
                data: ["kind": "late-opening", "severity": "low", "description": "No staff at the gate yet."]),
            id: turnout.id, seq: turnout.seq, prevHash: turnout.prevHash, key: r1)
        add(
            "before-polling-window", "event", .string(CanonicalJSON.string(early.jsonValue)), "time", .outsideWindow,
            "observations start at 06:00 +05:00 on polling day (an incident without occurredAt: only its time is late)")
        let claimed = try! Event.sign(
            EventDraft(type: turnout.type, subject: turnout.subject, time: turnout.time.text, data: turnout.data),
            id: turnout.id,
            seq: 1, prevHash: .zero, key: r1, device: reporter2.key.publicKey.deviceID)
        add(
            "source-not-the-signer", "event", .string(CanonicalJSON.string(claimed.jsonValue)), "signature",
            .badSignature,
            "source names reporter-2 but reporter-1's key signed it")

        // The server's decisions: assignments and reviews, checked like any event.
        let assignment = event("server/device-assigned-reporter-1")
        let review = event("server/report-reviewed-verified")
        func serverEvent(_ model: Event, data: JSONValue) -> JSONValue {
            .string(
                CanonicalJSON.string(
                    Self.signWithoutChecks(
                        EventDraft(type: model.type, subject: model.subject, time: model.time.text, data: data),
                        id: model.id, seq: model.seq, prevHash: model.prevHash, key: server.key, device: .server)))
        }
        let r1ID = JSONValue.string(r1.publicKey.deviceID.rawValue)
        add(
            "assignment-unknown-station", "event",
            serverEvent(assignment, data: ["device": r1ID, "stations": ["NA-248-999"], "constituencies": []]),
            "data.stations[0]", .unknownStation, "a reporter is assigned only to defined stations")
        add(
            "assignment-station-twice", "event",
            serverEvent(
                assignment,
                data: [
                    "device": r1ID, "stations": [.string(Self.station.rawValue), .string(Self.station.rawValue)],
                    "constituencies": [],
                ]),
            "data.stations[1]", .duplicate, "an assignment lists each station once")
        add(
            "assignment-of-nothing", "event",
            serverEvent(assignment, data: ["device": r1ID, "stations": [], "constituencies": []]),
            "data.stations", .empty, "an assignment names at least one station or seat")
        var reviewData = review.data.objectValue!
        reviewData["editor"] = r1ID
        add(
            "review-by-a-reporter", "event", serverEvent(review, data: .object(reviewData)), "data.editor",
            .roleNotAllowed, "only an editor's (or an admin's) request makes a review")
        reviewData = review.data.objectValue!
        reviewData["device"] = r1ID
        add(
            "verification-naming-a-device", "event", serverEvent(review, data: .object(reviewData)), "data.device",
            .notAllowed, "a verification is about a seat's result as its reports stand, not about one device")

        // Whole exports: the valid log with one thing changed.
        let events = log.map(\.event)
        let turnoutIndex = log.firstIndex { $0.name == "reporter-1/turnout-counted" }!
        var dropped = events
        dropped.remove(at: turnoutIndex)
        add(
            "device-seq-gap", "export", export(dropped), line: turnoutIndex + 1, "seq", .chainBroken,
            "the server chain was rebuilt without reporter-1's third event: its fourth event comes after its second")
        var relinked = events
        let incidentIndex = log.firstIndex { $0.name == "reporter-1/incident-observed" }!
        let incident = events[incidentIndex]
        relinked[incidentIndex] = try! Event.sign(
            EventDraft(type: incident.type, subject: incident.subject, time: incident.time.text, data: incident.data),
            id: incident.id,
            seq: incident.seq, prevHash: SHA256Digest.hash("not the previous event"), key: r1)
        add(
            "device-prevhash-mismatch", "export", export(relinked), line: incidentIndex + 1, "prevhash", .chainBroken,
            "reporter-1's fourth event does not name the hash of its third")
        var lines = stored.map { $0.line }
        let tamperedIndex = turnoutIndex
        lines[tamperedIndex] = lines[tamperedIndex].replacingFirst(
            "\"received\":\"2024-02-08T", with: "\"received\":\"2024-02-09T")
        add(
            "global-chain-received-changed", "export", .array(lines.map { .string($0) }), line: tamperedIndex + 1,
            "chain", .chainBroken,
            "the received time of one stored event was changed: its global chain link no longer matches")
        lines = stored.map { $0.line }
        lines.swapAt(turnoutIndex + 1, turnoutIndex + 2)
        add(
            "global-chain-reordered", "export", .array(lines.map { .string($0) }), line: turnoutIndex + 2, "position",
            .chainBroken,
            "two stored events swapped")
        var duplicated = events
        duplicated.insert(events[turnoutIndex], at: turnoutIndex + 1)
        add(
            "event-stored-twice", "export", export(duplicated), line: turnoutIndex + 2, "id", .alreadyDefined,
            "the same event twice in one log")
        var afterRevocation = events
        let late = try! Event.sign(
            EventDraft(
                type: .turnoutCounted, subject: Self.station.rawValue, time: "2024-02-09T11:00:00+05:00",
                data: ["asOf": "2024-02-09T11:00:00+05:00", "votesCast": 960]),
            id: EventID("00000000-0000-4000-8000-000000000001")!, seq: 3,
            prevHash: event("reporter-2/result-reported").hash, key: reporter2.key)
        afterRevocation.append(late)
        add(
            "event-after-revocation", "export", export(afterRevocation), line: afterRevocation.count, "source",
            .deviceRevoked,
            "reporter-2's device was revoked before this event was stored")

        // The signed head.
        var wrongPosition = head
        wrongPosition["position"] = .integer(stored.last!.position - 1)
        add(
            "head-wrong-position", "head", .object(wrongPosition), "position", .chainBroken,
            "the head does not name the last position of the log")
        var reSigned = SignedObject.signed(wrongPosition, with: intruder.key)
        reSigned["position"] = head["position"]
        add(
            "head-bad-signature", "head", .object(reSigned), "signature", .badSignature,
            "the head is not signed by the server key of the log")
        return cases + brokenEdges
    }

    /// A submitted event signed as a device would, without checking that its data is valid.
    static func signWithoutChecks(
        _ draft: EventDraft, id: EventID, seq: Int64, prevHash: SHA256Digest, key: SigningKey, device: DeviceID? = nil
    ) -> JSONValue {
        let source = (device ?? key.publicKey.deviceID).source
        let hash = SHA256Digest.hash(
            EventHash.canonicalForm(
                id: id, source: source, type: draft.type.rawValue, time: draft.time, subject: draft.subject,
                data: draft.data,
                seq: seq,
                prevHash: prevHash))
        return [
            "specversion": "1.0", "id": .string(id.description), "source": .string(source),
            "type": .string(draft.type.rawValue),
            "time": .string(draft.time), "subject": .string(draft.subject), "datacontenttype": "application/json",
            "data": draft.data,
            "seq": .integer(seq), "prevhash": .string(prevHash.hex),
            "signature": .string(Base64URL.encode(key.signature(for: hash))),
        ]
    }

    var brokenFile: String {
        let cases = broken.map { item -> JSONValue in
            var object: [String: JSONValue] = [
                "name": .string(item.name), "kind": .string(item.kind), "input": item.input,
                "expect": ["field": .string(item.field), "code": .string(item.code.rawValue)],
                "reason": .string(item.reason),
            ]
            if let line = item.line {
                object["expect"] = [
                    "line": .integer(Int64(line)), "field": .string(item.field), "code": .string(item.code.rawValue),
                ]
            }
            if let key = item.serverKey { object["serverKey"] = .string(key) }
            return .object(object)
        }
        return PrettyJSON.string([
            "note": .string(Self.brokenNote), "referenceLines": .integer(Int64(referenceLines)),
            "cases": .array(cases),
        ])
    }
}

extension String {
    /// The string with its first occurrence of `target` replaced (the whole string if none).
    func replacingFirst(_ target: String, with replacement: String) -> String {
        let chars = Array(self)
        let find = Array(target)
        guard !find.isEmpty, chars.count >= find.count else { return self }
        for start in 0...(chars.count - find.count) where Array(chars[start..<(start + find.count)]) == find {
            return String(chars[..<start]) + replacement + String(chars[(start + find.count)...])
        }
        return self
    }
}

// MARK: Edges: one reason each, pinned keys, canonical lines, times and texts, corrections' times

extension ProtocolVectors {
    static let brokenNote =
        "kind event: one submitted event, checked as PROTOCOL.md §10 says against the first referenceLines "
        + "lines of export.ndjson (its reference data, and the events a correction may name); it is not a line "
        + "of the log, so its id and seq (which repeat those of an event of the log) are not checked. expect is "
        + "its only problem. kind export: the lines of a log, verified as §12 says (with the pinned server key "
        + "serverKey when given); expect is the first line that has a problem and the first problem reported "
        + "on it, in the order of §12. kind head: a signed head for export.ndjson; expect is the first problem "
        + "reported, in the order of §12."

    /// How many lines of export.ndjson event vectors are checked against: every line but the last, the
    /// revocation of reporter-2's device (so an event of reporter-2 fails only for what its vector says).
    var referenceLines: Int { stored.count - 1 }

    /// The broken vectors of the rules' edges, each failing for one reason.
    var brokenEdges: [Broken] {
        let turnout = event("reporter-1/turnout-counted")
        let r1 = reporter1.key
        var cases = [Broken]()
        func add(
            _ name: String, _ kind: String, _ input: JSONValue, line: Int? = nil, _ field: String,
            _ code: FieldError.Code, _ reason: String, serverKey: String? = nil
        ) {
            cases.append(
                Broken(
                    name: name, kind: kind, input: input, line: line, field: field, code: code, reason: reason,
                    serverKey: serverKey))
        }
        // Lines must be canonical.
        var lines = stored.map { $0.line }
        let turnoutIndex = log.firstIndex { $0.name == "reporter-1/turnout-counted" }!
        lines[turnoutIndex] = lines[turnoutIndex].replacingFirst(
            "\"source\":\"/devices/", with: "\"source\":\"\\/devices/")
        add(
            "line-not-canonical", "export", .array(lines.map { .string($0) }), line: turnoutIndex + 1, "",
            .notCanonical,
            "the line writes / as \\/: the same JSON value, the same event hash and chain, but not the canonical form")
        // Keys.
        add(
            "pinned-server-key-differs", "export", .array(stored.map { .string($0.line) }), line: 1, "data.publicKey",
            .badSignature, "the auditor pinned another server key than the one the log's first event announces",
            serverKey: intruder.key.publicKey.base64URL)
        var announcing = head
        announcing["publicKey"] = .string(intruder.key.publicKey.base64URL)
        add(
            "head-key-differs", "head", .object(SignedObject.signed(announcing, with: server.key)), "publicKey",
            .badSignature,
            "the head (signed by the server key) carries a publicKey that is not the key line 1 announces")
        // Times (§1) and texts (§9).
        add(
            "time-offset-minutes-60", "event",
            resigned(turnout, by: r1) { $0["time"] = "2024-02-08T10:02:30.250+04:60" },
            "time", .invalidFormat, "an offset's minutes run from 00 to 59")
        add(
            "time-offset-hours-24", "event", resigned(turnout, by: r1) { $0["time"] = "2024-02-07T11:02:30.250-24:00" },
            "time", .invalidFormat, "an offset's hours run from 00 to 23")
        add(
            "time-second-60", "event", resigned(turnout, by: r1) { $0["time"] = "2024-02-08T11:02:60+05:00" }, "time",
            .invalidFormat, "no leap seconds: seconds run from 00 to 59")
        let incident = event("reporter-1/incident-observed")
        add(
            "free-text-with-vertical-tab", "event",
            resigned(incident, by: r1) {
                $0["data"] = ["kind": "other", "severity": "low", "description": "two\u{0B}lines"]
            }, "data.description", .invalidFormat,
            "free text allows line feed, carriage return and tab, and no other character below U+0020")
        let constituency = event("server/constituency-na-248")
        add(
            "name-with-delete", "event",
            resigned(constituency, by: server.key) {
                $0["data"] = [
                    "code": "NA-248", "name": "Karachi\u{7F} Central-II", "district": "Central", "assembly": "national",
                ]
            }, "data.name", .invalidFormat, "name text has no character below U+0020 and no U+007F")
        // A photo's size and type come together, beside its hash, within the limits.
        let result = event("reporter-1/result-reported")
        func photo(_ members: [String: JSONValue]) -> JSONValue {
            resigned(result, by: r1) { $0["data"] = .object(($0["data"]?.objectValue ?? [:]).merging(members) { $1 }) }
        }
        add(
            "photo-size-without-type", "event", photo(["photoSize": 2_000_000]), "data.photoType", .missingMember,
            "photoSize and photoType come together")
        add(
            "photo-type-gif", "event", photo(["photoSize": 2_000_000, "photoType": "image/gif"]), "data.photoType",
            .notAllowed, "a photo is image/jpeg or image/png")
        add(
            "photo-size-over-8-mib", "event", photo(["photoSize": 8_388_609, "photoType": "image/jpeg"]),
            "data.photoSize", .outOfRange, "a photo has at most 8 MiB (8,388,608 bytes)")
        add(
            "incident-photo-hash-alone", "event",
            resigned(incident, by: r1) {
                $0["data"] = .object(
                    ($0["data"]?.objectValue ?? [:]).merging([
                        "photoSha256": .string(SHA256Digest.hash("photo of the gate").hex)
                    ]) { $1 })
            }, "data.photoSize", .missingMember,
            "an incident names its photo by hash, size and type together (photoType is reported with photoSize)")
        // A correction's replacement is checked against the correction's own time.
        add(
            "replacement-after-correction-time", "event", correction(replacingAsOf: "2024-02-08T12:30:00+05:00"),
            "data.replacement.data.asOf", .afterEventTime,
            "the replacement's asOf (12:30) is after the time of the correction that carries it (12:00)")
        return cases
    }

    /// Reporter-1's next event after the log's last line but one: a correction, made at 12:00, of its turnout
    /// count (observed at 11:02:30.250, as of 11:00) to 420 votes as of `asOf`.
    func correction(replacingAsOf asOf: String) -> JSONValue {
        let turnout = event("reporter-1/turnout-counted")
        let last = log.last { $0.event.device == reporter1.key.publicKey.deviceID }!.event
        let replacement = Payload.turnoutCounted(TurnoutCount(asOf: ObservedTime(asOf)!, votesCast: 420))
        let event = try! Event.sign(
            EventDraft(
                payload: .reportCorrected(
                    Correction(
                        corrects: turnout.id, reason: "The 11:00 count was finished at 11:30.",
                        change: .replacement(replacement))),
                subject: turnout.subject, time: ObservedTime("2024-02-08T12:00:00+05:00")!),
            id: EventID("00000000-0000-4000-8000-000000000002")!, seq: last.seq + 1, prevHash: last.hash,
            key: reporter1.key)
        return .string(CanonicalJSON.string(event.jsonValue))
    }

    /// Events that MUST be accepted, each at an edge of a rule.
    var accepted: [(name: String, input: JSONValue, reason: String)] {
        let r1 = reporter1.key
        let incident = event("reporter-1/incident-observed")
        let constituency = event("server/constituency-na-248")
        func incidentAt(_ time: String, description: String = "Power cut in the booth.") -> JSONValue {
            resigned(incident, by: r1) {
                $0["time"] = .string(time)
                $0["data"] = ["kind": "power-outage", "severity": "low", "description": .string(description)]
            }
        }
        return [
            (
                "time-offset-23-59", incidentAt("2024-02-08T03:31:00-23:59"),
                "offset hours 00 to 23, minutes 00 to 59: 03:31 at -23:59 is 2024-02-09T03:30:00Z, inside the window"
            ),
            (
                "time-lowercase-and-six-fraction-digits", incidentAt("2024-02-08t07:00:00.123456z"),
                "t and z may be lowercase; a fraction has 1 to 6 digits"
            ),
            (
                "time-minus-zero-offset", incidentAt("2024-02-08T07:00:00-00:00"),
                "-00:00 is an offset of zero, the same instant as Z"
            ),
            (
                "free-text-with-line-breaks-and-c1",
                incidentAt("2024-02-08T12:00:00+05:00", description: "cut\r\nat\t12:00\u{85}\u{9F}"),
                "free text allows line feed, carriage return and tab; characters U+0080 to U+009F are not refused"
            ),
            (
                "name-with-c1-control",
                resigned(constituency, by: server.key) {
                    $0["data"] = [
                        "code": "NA-248", "name": "Karachi\u{80} Central-II\u{9F}", "district": "Central",
                        "assembly": "national",
                    ]
                }, "name text refuses only characters below U+0020 and U+007F"
            ),
            (
                "result-with-photo-size-and-type",
                resigned(event("reporter-1/result-reported"), by: r1) {
                    $0["data"] = .object(
                        ($0["data"]?.objectValue ?? [:]).merging(["photoSize": 8_388_608, "photoType": "image/png"]) {
                            $1
                        })
                },
                "a result names its photo's size (1 to 8 MiB) and type beside its hash; results that name the hash "
                    + "alone, written before photos were uploaded, stay valid"
            ),
            (
                "incident-with-photo",
                resigned(incident, by: r1) {
                    $0["data"] = .object(
                        ($0["data"]?.objectValue ?? [:]).merging([
                            "photoSha256": .string(SHA256Digest.hash("photo of the gate").hex), "photoSize": 1,
                            "photoType": "image/jpeg",
                        ]) { $1 })
                },
                "an incident may name a photo by its hash, size (1 to 8 MiB) and type, as a result does"
            ),
            (
                "replacement-before-correction-time", correction(replacingAsOf: "2024-02-08T11:30:00+05:00"),
                "the replacement's asOf (11:30) is after the corrected event's time (11:02:30.250) but not after the "
                    + "correction's own (12:00): the correction's time is the one that applies"
            ),
        ]
    }

    var acceptedFile: String {
        let cases = accepted.map { name, input, reason -> JSONValue in
            ["name": .string(name), "input": input, "reason": .string(reason)]
        }
        return PrettyJSON.string([
            "note": .string(
                "Submitted events that MUST be accepted: each passes every check of PROTOCOL.md §10 against the "
                    + "first referenceLines lines of export.ndjson, as for the event vectors of broken.json."),
            "referenceLines": .integer(Int64(referenceLines)), "cases": .array(cases),
        ])
    }
}
