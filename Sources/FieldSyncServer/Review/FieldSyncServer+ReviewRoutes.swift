import FieldSyncModel
import FieldSyncProjection
import FieldSyncStore
import FieldSyncTally
import Hummingbird

extension FieldSyncServer {
    /// `POST /v1/devices/{device}/assignment` {stations?, constituencies?} (admin) → 200
    /// {device, position, stations, constituencies}: what the device covers now.
    func assignDevice(_ request: Request, device text: String, caller: Caller) async throws -> Response {
        let device = try Self.deviceID(text)
        var members = RequestMembers(try await request.jsonObject(limit: configuration.maximumSmallBodyBytes))
        let assignment = members.assignment(required: true)
        try members.finish()
        let (position, coverage) = try await assign(
            device, to: assignment, by: "device \(caller.device) (\(caller.name))")
        var answer = Self.coverage(coverage, of: device)
        answer["position"] = .integer(position)
        return JSONResponse.make(.object(answer))
    }

    /// `GET /v1/devices/{device}/assignment` (the device itself, editors, auditors) → 200
    /// {device, stations, constituencies, events}: every station and seat its assignments name, and the
    /// assignment events themselves (stored events, signed by the server) for a device to check.
    func deviceAssignment(_ text: String, caller: Caller) async throws -> Response {
        let device = try Self.deviceID(text)
        guard device == caller.device || caller.role != .reporter else {
            throw Problem(.forbidden, "a reporter's device reads only its own assignment, not \(device)'s")
        }
        let reference = try await reference.refresh().data
        guard reference.devices[device] != nil else {
            throw Problem(.deviceNotEnrolled, "device \(device) is not enrolled")
        }
        var answer = Self.coverage(reference.coverage[device] ?? StationCoverage(), of: device)
        let events = try await events.events(type: EventType.deviceAssigned.rawValue, subject: device.rawValue)
        answer["events"] = .array(try events.map { .object(try $0.storedEvent().jsonObject) })
        return JSONResponse.make(.object(answer))
    }

    /// `POST /v1/stations/{station}/reviews` {decision, device?, constituency?, events?, reason} (editor) →
    /// 201 {id, position, station, decision}.
    func reviewStation(_ request: Request, station text: String, caller: Caller) async throws -> Response {
        guard let station = StationCode(text) else {
            throw Problem.invalidRequest(
                field: "station", code: .invalidFormat, problem: "\"\(text)\" is not a station code",
                allowed: "NA-<n>-<station number>, such as NA-248-017")
        }
        var members = RequestMembers(try await request.jsonObject(limit: configuration.maximumSmallBodyBytes))
        let decisions = ReportReview.Decision.allCases.map(\.rawValue).joined(separator: ", ")
        let decisionText = members.string("decision", required: true, allowed: decisions)
        let decision = decisionText.flatMap(ReportReview.Decision.init(rawValue:))
        if let decisionText, decision == nil {
            members.fail("decision", .notAllowed, "\"\(decisionText)\" is not a decision", allowed: decisions)
        }
        let verifies = decision == .verified
        let deviceText = members.string(
            "device", required: decision != nil && !verifies, allowed: "the id of the device whose reports these are")
        let seatText = members.string(
            "constituency", required: verifies, allowed: "the seat whose result is verified, such as NA-248")
        let eventTexts = members.strings(
            "events", required: verifies, allowed: "the ids of the events behind the result as it was read")
        let reason = members.string("reason", required: true, allowed: "why, in a sentence, for the record")
        let device = deviceText.flatMap { DeviceID($0) }
        if let deviceText, device == nil || device?.isServer == true {
            members.fail(
                "device", .invalidFormat, "\"\(deviceText)\" is not a device id", allowed: "20 lowercase hex digits")
        }
        let seat = seatText.flatMap { ConstituencyCode($0) }
        if let seatText, seat == nil {
            members.fail("constituency", .invalidFormat, "\"\(seatText)\" is not a seat", allowed: "such as NA-248")
        }
        let events = (eventTexts ?? []).compactMap { EventID($0) }
        if let eventTexts,
            events.count != eventTexts.count || events.isEmpty || events.count > ReportReview.maximumEvents
        {
            members.fail(
                "events", .invalidFormat, "not a list of 1 to \(ReportReview.maximumEvents) event ids",
                allowed: "UUIDs in lowercase 8-4-4-4-12 form")
        }
        if verifies, deviceText != nil {
            members.fail("device", .notAllowed, "a verification is about a result, not a device", allowed: "no device")
        }
        if decision != nil, !verifies, seatText != nil || eventTexts != nil {
            members.fail(
                seatText != nil ? "constituency" : "events", .notAllowed,
                "an \(decisionText!) decision covers all the device's observations at the station",
                allowed: "device and reason only")
        }
        try members.finish()
        let review =
            verifies
            ? ReportReview(station: station, verifying: seat!, events: events, editor: caller.device, reason: reason!)
            : ReportReview(
                station: station, device: device!, accepted: decision == .accepted, editor: caller.device,
                reason: reason!)
        let (id, position) = try await self.review(review)
        return JSONResponse.make(
            [
                "id": .string(id.description), "position": .integer(position), "station": .string(station.rawValue),
                "decision": .string(review.decision.rawValue),
            ], status: .created)
    }

    /// `GET /v1/reviews` (editors, auditors) → {position, stations: [station tally]}: every station an editor
    /// should look at — with reports held for review, a disputed result, or a flag — as of the projector's
    /// checkpoint, in station order.
    func reviewList(_ request: Request) async throws -> Response {
        let snapshot = try await TallyStore(pool: pool).stationsToReview()
        return DocumentAnswer.object([
            "position": .value(.integer(snapshot.position)),
            "stations": .array(snapshot.documents(.station).map { .stored($0.bytes) }),
        ]).response(to: request)
    }

    static func coverage(_ coverage: StationCoverage, of device: DeviceID) -> [String: JSONValue] {
        [
            "device": .string(device.rawValue),
            "stations": .array(coverage.stations.sorted().map { .string($0.rawValue) }),
            "constituencies": .array(coverage.constituencies.sorted().map { .string($0.rawValue) }),
        ]
    }
}

extension RequestMembers {
    /// `stations` and `constituencies`: arrays of codes, at least one code in all when `required`.
    mutating func assignment(required: Bool) -> CodeAssignment {
        let stationTexts = strings("stations", required: false, allowed: "station codes, such as NA-248-017")
        let seatTexts = strings("constituencies", required: false, allowed: "seat codes, such as NA-248 or PS-125")
        var assignment = CodeAssignment()
        for (index, text) in (stationTexts ?? []).enumerated() {
            if let code = StationCode(text) {
                assignment.stations.append(code)
            } else {
                fail(
                    "stations[\(index)]", .invalidFormat, "\"\(text)\" is not a station code",
                    allowed: "such as NA-248-017")
            }
        }
        for (index, text) in (seatTexts ?? []).enumerated() {
            if let code = ConstituencyCode(text) {
                assignment.constituencies.append(code)
            } else {
                fail(
                    "constituencies[\(index)]", .invalidFormat, "\"\(text)\" is not a seat code",
                    allowed: "such as NA-248")
            }
        }
        if required && stationTexts == nil && seatTexts == nil {
            fail(
                "stations", .missingMember, "name the stations or the seats the device covers",
                allowed: "stations (such as [\"NA-248-001\"]) or constituencies (such as [\"NA-248\"])")
        }
        return assignment
    }
}
