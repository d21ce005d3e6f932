import FieldSyncModel

/// The server-signed reference data kept in `<home>/reference.ndjson`: the lines of
/// `GET /v1/reference` (the server's identity, constituencies, polling stations, candidates), each a
/// stored event by `/server`.
///
/// Every line's signature is checked against the server key pinned at enrollment when it arrives
/// (``verify(_:serverKey:)``); the file is replaced whole, atomically, only with lines that passed.
public struct CachedReference: Sendable {
    /// The reference events, in the server's order.
    public let events: [Event]
    /// What they say.
    public let data: ReferenceData

    public init(events: [Event]) {
        self.events = events
        self.data = ReferenceData(events: events)
    }

    /// Checks a `GET /v1/reference` body: every line a stored reference event by `/server`, signed by
    /// `serverKey`, and the server identity among them announcing that same key (unless
    /// `requireIdentity` is false: a device's assignments come without it).
    public static func verify(
        _ bytes: [UInt8], serverKey: PublicKey, requireIdentity: Bool = true
    ) throws(ReferenceProblem) -> CachedReference {
        var events = [Event]()
        var lineNumber = 0
        for line in bytes.split(separator: 0x0a, omittingEmptySubsequences: true) {
            lineNumber += 1
            let stored: StoredEvent
            do {
                stored = try StoredEvent(line: line)
            } catch {
                throw ReferenceProblem(
                    "line \(lineNumber) is not a stored event: \(error.errors.first.map { "\($0)" } ?? "")")
            }
            let event = stored.event
            guard event.type.isReference, event.device.isServer else {
                throw ReferenceProblem("line \(lineNumber) is a \(event.type) from \(event.source), not reference data")
            }
            guard event.isSignatureValid(by: serverKey) else {
                throw ReferenceProblem(
                    "line \(lineNumber) (\(event.type) \(event.subject)) is not signed by the server key pinned at"
                        + " enrollment (\(serverKey.base64URL))")
            }
            if case .serverIdentified(let identity) = event.payload, identity.publicKey != serverKey {
                throw ReferenceProblem(
                    "the reference data names the server key \(identity.publicKey.base64URL), not the key pinned at"
                        + " enrollment (\(serverKey.base64URL))")
            }
            events.append(event)
        }
        guard !requireIdentity || events.contains(where: { $0.type == .serverIdentified }) else {
            throw ReferenceProblem("the reference data lacks the server's identity")
        }
        return CachedReference(events: events)
    }

    /// Reads the cached reference data, and this device's assignments after it, without checking
    /// signatures again (they were checked when they arrived); nil when there is no reference data.
    public static func load(home: ClientHome) throws -> CachedReference? {
        guard let bytes = try DurableFile.contents(of: home.reference) else { return nil }
        let assignment = try DurableFile.contents(of: home.assignment) ?? []
        return CachedReference(
            events: try events(in: bytes, file: home.reference) + events(in: assignment, file: home.assignment))
    }

    /// The events of a cached file's lines.
    private static func events(in bytes: [UInt8], file: String) throws -> [Event] {
        var parser = EventParser()
        var events = [Event]()
        var lineNumber = 0
        for line in bytes.split(separator: 0x0a, omittingEmptySubsequences: true) {
            lineNumber += 1
            do {
                var json = try JSONParser.parse(line)
                if case .object(var object) = json {
                    for member in ["position", "received", "chain"] { object[member] = nil }
                    json = .object(object)
                }
                events.append(try parser.decode(json))
            } catch {
                throw ReferenceProblem(
                    "\(file) is damaged at line \(lineNumber): run `fieldsync sync` to fetch it again")
            }
        }
        return events
    }

    /// Replaces the cached file with a verified body, atomically.
    public static func save(_ bytes: [UInt8], home: ClientHome) throws {
        try DurableFile.replace(home.reference, with: bytes, mode: 0o600)
    }

    /// Checks the lines of this device's assignments (`GET /v1/devices/{device}/assignment`): each a
    /// `fieldsync.device.assigned.v1` of `device`, signed by `serverKey`; then replaces the cached file
    /// with them, atomically.
    public static func saveAssignment(
        _ bytes: [UInt8], of device: DeviceID, serverKey: PublicKey, home: ClientHome
    ) throws(ReferenceProblem) -> StationCoverage {
        let checked = try verify(bytes, serverKey: serverKey, requireIdentity: false)
        for event in checked.events {
            guard case .deviceAssigned(let assignment) = event.payload, assignment.device == device else {
                throw ReferenceProblem("the assignment answer holds a \(event.type) about \(event.subject)")
            }
        }
        do {
            try DurableFile.replace(home.assignment, with: bytes, mode: 0o600)
        } catch {
            throw ReferenceProblem("cannot write \(home.assignment): \(error)")
        }
        return checked.data.coverage[device] ?? StationCoverage()
    }

    /// The reference data to check this device's observations against: the server's, plus this
    /// device's own enrollment (the server does not publish enrollments in `GET /v1/reference`).
    public func data(for profile: Profile, key: PublicKey) -> ReferenceData {
        var data = data
        data.apply(.deviceEnrolled(DeviceEnrollment(publicKey: key, reporter: profile.name, role: profile.role)))
        return data
    }
}

/// The reference data from the server or in the cache cannot be trusted or read.
public struct ReferenceProblem: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
