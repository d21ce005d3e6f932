import Foundation

/// The folder that holds one reporter profile (`--home`, else `$FIELDSYNC_HOME`, else `~/.fieldsync`)
/// and the names of the files in it. The folder is mode 0700; every file in it 0600.
///
/// | file | what |
/// |---|---|
/// | `profile.json` | the server, this device's id and credentials, the pinned server key |
/// | `device-key.pem` | this device's Ed25519 private key |
/// | `log.ndjson` | the local log: one signed, chained event per line, append-only |
/// | `sync-state.json` | what the server holds of this device, last sync, conflicts (replaced atomically) |
/// | `receipts.ndjson` | the server's signed batch receipts, append-only |
/// | `reference.ndjson` | the server-signed reference data (stations, candidates), with its ETag in the sync state |
/// | `server-ca.pem` | certificates trusted for the server's TLS besides the system's (`init --ca-certificate`) |
/// | `quarantine/` | torn lines moved out of the log after a crash |
/// | `photos/` | the photos the log names, by SHA-256, and `sent`, those the server holds (see ``PhotoFolder``) |
public struct ClientHome: Sendable, Hashable, CustomStringConvertible {
    /// The folder's path.
    public let path: String

    public init(path: String) {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        self.path = path
    }

    /// The home a command uses: `explicit` if given, else `$FIELDSYNC_HOME`, else `~/.fieldsync`.
    public static func resolve(_ explicit: String?, environment: [String: String]) -> ClientHome {
        if let explicit, !explicit.isEmpty { return ClientHome(path: expandingTilde(explicit, environment)) }
        if let fromEnvironment = environment["FIELDSYNC_HOME"], !fromEnvironment.isEmpty {
            return ClientHome(path: expandingTilde(fromEnvironment, environment))
        }
        return ClientHome(path: (environment["HOME"] ?? ".") + "/.fieldsync")
    }

    private static func expandingTilde(_ path: String, _ environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = environment["HOME"] else { return path }
        return home + path.dropFirst()
    }

    public var profile: String { path + "/profile.json" }
    public var deviceKey: String { path + "/device-key.pem" }
    public var log: String { path + "/log.ndjson" }
    public var syncState: String { path + "/sync-state.json" }
    public var receipts: String { path + "/receipts.ndjson" }
    /// The receipts' proofs that their events are in a signed tree head (``KeptProof``).
    public var receiptProofs: String { path + "/receipt-proofs.ndjson" }
    public var reference: String { path + "/reference.ndjson" }
    /// This device's assignments: server-signed events, like the reference data's.
    public var assignment: String { path + "/assignment.ndjson" }
    public var serverCertificate: String { path + "/server-ca.pem" }
    /// The certificate file to trust for the server's TLS, when the profile has one.
    public var trustedCertificate: String? {
        FileManager.default.fileExists(atPath: serverCertificate) ? serverCertificate : nil
    }
    public var quarantine: String { path + "/quarantine" }
    /// The photos the log names; see ``PhotoFolder``.
    public var photos: String { path + "/photos" }
    /// Held while the log is read or appended to.
    public var logLock: String { path + "/log.lock" }
    /// Held for the length of a sync.
    public var syncLock: String { path + "/sync.lock" }

    /// The files that make up a profile, moved aside together by `init --force`.
    public var profileFiles: [String] {
        [
            profile, deviceKey, log, syncState, receipts, receiptProofs, reference, assignment, serverCertificate,
            quarantine, photos,
        ]
    }

    public var description: String { path }
}
