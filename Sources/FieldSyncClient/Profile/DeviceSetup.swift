import AsyncHTTPClient
import FieldSyncModel
import Foundation

/// What `fieldsync init` does: makes the device's key, enrolls it with a one-time code, checks that the
/// server key in the answer is the one the code is bound to and pins it, and fetches and verifies the
/// reference data.
public struct DeviceSetup: Sendable {
    public let home: ClientHome
    /// The server's base URL as typed; normalised by ``serverURL(_:insecureHTTP:)``.
    public let server: String
    public let code: String
    /// Replace an existing profile (moved aside, never deleted).
    public let force: Bool
    /// Allow plain `http://` to another machine than this one.
    public let insecureHTTP: Bool

    public init(home: ClientHome, server: String, code: String, force: Bool, insecureHTTP: Bool = false) {
        self.home = home
        self.server = server
        self.code = code
        self.force = force
        self.insecureHTTP = insecureHTTP
    }

    /// What was set up.
    public struct Result: Sendable {
        public var profile: Profile
        /// Where an earlier profile went, with `--force`.
        public var movedAside: String?
        /// How many stations and candidates the reference data has; nil if it could not be fetched.
        public var stations: Int?
        public var candidates: Int?
        /// Why the reference data could not be fetched (the profile is usable; `sync` fetches it).
        public var referenceProblem: String?
        /// What a reporter's device covers, from the server's signed assignments.
        public var assignment: StationCoverage?
    }

    /// A base URL from what was typed: `http(s)://host[:port]`, without a trailing slash. Plain `http://`
    /// is refused for any host but this machine's unless `insecureHTTP`: the enrollment code and the
    /// device's token would cross the network in the clear.
    public static func serverURL(_ typed: String, insecureHTTP: Bool = false) throws(CredentialsProblem) -> String {
        var url = typed.trimmingCharacters(in: .whitespaces)
        if !url.contains("://") { url = "http://" + url }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw CredentialsProblem(
                "--server: \(typed) is not an http:// or https:// address (such as http://10.0.0.5:8080)")
        }
        while url.hasSuffix("/") { url.removeLast() }
        if url.hasSuffix("/v1") { url.removeLast(3) }
        guard let host = host(of: url), !host.isEmpty else {
            throw CredentialsProblem("--server: \(typed) has no host (such as http://10.0.0.5:8080)")
        }
        if url.hasPrefix("http://"), !insecureHTTP, !isLoopback(host) {
            throw CredentialsProblem(
                "--server: \(url) is plain HTTP to another machine, where anyone on the way can read the enrollment"
                    + " code and the device's token: use https://, or add --insecure-http if you trust this network")
        }
        return url
    }

    /// The host of `http(s)://host[:port][/…]`, without brackets around an IPv6 address.
    static func host(of url: String) -> String? {
        guard let start = url.range(of: "://")?.upperBound else { return nil }
        let authority = url[start...].prefix { $0 != "/" }.split(separator: "@").last.map(String.init) ?? ""
        if authority.hasPrefix("[") { return authority.dropFirst().prefix { $0 != "]" }.lowercased() }
        return authority.prefix { $0 != ":" }.lowercased()
    }

    /// Whether `host` is this machine: `localhost`, 127.0.0.0/8 or `::1`.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host.hasSuffix(".localhost") || host == "::1"
            || (host.hasPrefix("127.") && host.split(separator: ".").count == 4
                && host.split(separator: ".").allSatisfy { UInt8($0) != nil })
    }

    /// Runs the setup with `api`'s HTTP client.
    public func run(client: ServerAPIClient) async throws -> Result {
        let server = try Self.serverURL(server, insecureHTTP: insecureHTTP)
        let store = ProfileStore(home: home)
        if store.exists && !force {
            let existing = (try? store.profile()).map { " (device \($0.device) of \($0.name) at \($0.server))" } ?? ""
            throw ProfileError(
                "\(home) already holds a profile\(existing): use --force to replace it (its files are kept"
                    + " under replaced/), or --home DIR for another profile")
        }
        guard let code = EnrollmentCode(typed: code) else {
            throw CredentialsProblem(
                "--code: \(code) is not an enrollment code: 16 letters and digits in four groups, such as"
                    + " K7QF-2M9X-4RTA-8HCV")
        }
        try store.makeHome()
        // The key is on disk before the server hears of it, under a name no command reads: if enrollment
        // fails it was never used and goes; if it succeeds, the old profile (if any) moves aside first.
        let key = SigningKey.generate()
        let pendingKey = home.deviceKey + ".pending"
        try? DurableFile.remove(pendingKey)
        try DurableFile.create(pendingKey, with: Array(key.pemRepresentation.utf8), mode: 0o600)
        let enrolled: ServerAPI.Enrolled
        do {
            enrolled = try await ServerAPI(client: client, server: server, token: nil).enroll(
                code: code.description, publicKey: key.publicKey)
            guard code.isBound(to: enrolled.serverKey) else {
                throw UntrustedAnswer(
                    "the server answered with the key \(enrolled.serverKey.fingerprintText), which is not the key"
                        + " this enrollment code was made for: someone may be between you and the server; nothing"
                        + " was saved. Compare the fingerprint `fieldsync admin enroll` printed, and ask for a new code"
                )
            }
        } catch {
            try? DurableFile.remove(pendingKey)
            throw error
        }
        guard enrolled.device == key.publicKey.deviceID else {
            throw ProfileError(
                "the server enrolled device \(enrolled.device), not this key's \(key.publicKey.deviceID): refusing it")
        }
        let movedAside = store.exists ? try store.moveAside(stamp: ReporterClock.stamp()) : nil
        try DurableFile.move(pendingKey, to: home.deviceKey)
        let profile = Profile(
            server: server, device: enrolled.device, name: enrolled.name, role: enrolled.role, token: enrolled.token,
            serverKey: enrolled.serverKey, serverName: enrolled.serverName, enrolledAt: enrolled.position,
            tokenExpires: enrolled.tokenExpires)
        try store.save(profile)
        var result = Result(profile: profile, movedAside: movedAside)

        let api = ServerAPI(client: client, server: server, token: enrolled.token)
        do {
            switch try await api.reference(ifNoneMatch: nil) {
            case .changed(let body, let etag):
                let reference = try CachedReference.verify(body, serverKey: profile.serverKey)
                try CachedReference.save(body, home: home)
                var state = try SyncState.load(home: home)
                state.referenceETag = etag
                state.referenceFetched = ReporterClock.system()
                try state.save(home: home)
                if let election = reference.data.election {
                    result.profile.election = election
                    try store.save(result.profile)
                }
                result.stations = reference.data.stations.count
                result.candidates = reference.data.candidates.count
                if profile.role == .reporter {
                    result.assignment = try CachedReference.saveAssignment(
                        try await api.assignment(of: profile.device), of: profile.device, serverKey: profile.serverKey,
                        home: home)
                }
            case .unchanged:
                result.referenceProblem = "the server answered 304 to a first request"
            }
        } catch let problem as ReferenceProblem {
            throw UntrustedAnswer("the server's reference data does not hold up: \(problem)")
        } catch {
            result.referenceProblem = "\(error)"
        }
        return result
    }
}

/// The HTTP client the setup and sync share.
public typealias ServerAPIClient = AsyncHTTPClient.HTTPClient

/// An answer that is not signed by the pinned server key.
public struct UntrustedAnswer: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
