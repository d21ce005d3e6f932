import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import Foundation

/// `fieldsync init`: makes this laptop's device key, enrolls it, and fetches the reference data.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Set up this laptop as a reporter's device: make its key, enroll it, fetch the reference data.",
        discussion: """
            Run once per laptop, with the enrollment code an admin gave you (`fieldsync admin enroll` prints \
            this very command line):

              fieldsync init --server http://10.0.0.5:8080 --code K7QF-2M9X-4RTA-8HCV

            It makes the device's signing key (device-key.pem, readable only by you), enrolls it with the code, \
            remembers the server and pins its public key, and downloads the polling stations and candidates, \
            checking the server's signature on each. After that, `fieldsync record` works offline.

            The code's last two groups are bound to the server's key: if the server answers with another key \
            (someone between you and the server), init stops and saves nothing. Plain http:// is refused for \
            any server but this machine unless you give --insecure-http: the code and the device's token would \
            cross the network readable by anyone on the way. The device is enrolled under the name the code \
            was made for.

            The profile lives in --home DIR, else $FIELDSYNC_HOME, else ~/.fieldsync. An existing profile is \
            never overwritten: --force moves it into replaced/ in the same folder and starts a new one.

            \(ExitStatus.helpText(.unreachable, .refused, .untrustedServer))
            """
    )

    @Option(help: ArgumentHelp("The FieldSync server, such as http://10.0.0.5:8080.", valueName: "URL"))
    var server: String

    @Option(help: ArgumentHelp("The one-time enrollment code an admin gave you.", valueName: "CODE"))
    var code: String

    @Option(
        name: .customLong("ca-certificate"),
        help: ArgumentHelp(
            "A PEM file of certificates to trust for an https server besides the system's (a newsroom's own"
                + " authority, or a self-signed certificate). Kept in the profile for every later sync.",
            valueName: "FILE"))
    var caCertificate: String?

    @Flag(help: "Replace an existing profile in this home (its files are moved aside, never deleted).")
    var force = false

    @Flag(
        name: .customLong("insecure-http"),
        help: "Allow plain http:// to a server on another machine (the code and token travel unencrypted).")
    var insecureHTTP = false

    func validate() throws {
        if let caCertificate {
            do {
                _ = try ServerAPI.certificates(inPEMFile: caCertificate)
            } catch {
                throw ValidationError("--ca-certificate \(error)")
            }
        }
    }

    @OptionGroup var home: ClientHomeOption

    func run() async throws {
        try await CommandFailure.reporting {
            let setup = DeviceSetup(
                home: home.home, server: server, code: code, force: force, insecureHTTP: insecureHTTP)
            let result = try await ServerAPI.withClient(trusting: caCertificate) { client in
                try await setup.run(client: client)
            }
            if let caCertificate {
                try TrustedCertificate.keep(caCertificate, in: home.home)
            }
            let profile = result.profile
            if let moved = result.movedAside { Console.line("The earlier profile was moved to \(moved).") }
            Console.line(
                "Enrolled device \(profile.device) for \(profile.name) (\(profile.role.rawValue)) at \(profile.server)."
            )
            let serverName = profile.serverName.isEmpty ? "" : " (\(profile.serverName))"
            Console.line(
                "Server key pinned\(serverName), fingerprint \(profile.serverKey.fingerprintText):"
                    + " the one the enrollment code was made for.")
            Console.line(TokenCommand.expiryLine(profile.tokenExpires))
            if let stations = result.stations, let candidates = result.candidates {
                Console.line(
                    "Reference data: \(stations) polling stations, \(candidates) candidates, each signed by the server."
                )
                if let coverage = result.assignment {
                    Console.line(
                        "Assigned to: \(coverage.summary). Observations elsewhere wait for an editor's review.")
                }
            } else if let problem = result.referenceProblem {
                Console.error(
                    "fieldsync: the reference data could not be fetched yet (\(problem));"
                        + " `fieldsync sync` will fetch it.")
            }
            Console.lines(Self.nextSteps(for: profile.role, home: home.home))
        }
    }

    /// What to do after enrolling, for the role enrolled: a reporter records and syncs; an editor or
    /// auditor reads the server with the profile's server and token.
    static func nextSteps(for role: DeviceRole, home: ClientHome) -> [String] {
        switch role {
        case .reporter:
            [
                "Profile saved in \(home). Next, at your station:",
                "  fieldsync record opened --station <its code> --at 08:00 \\",
                "      --materials complete --staff present",
                "then `fieldsync sync` when there is a connection.",
            ]
        default:
            [
                "Profile saved in \(home). Next (the profile holds the server and the token):",
                "  fieldsync tally",
                "  fieldsync review list",
                "  fieldsync audit export --out log.ndjson",
            ]
        }
    }
}
