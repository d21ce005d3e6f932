import ArgumentParser
import FieldSyncClient
import FieldSyncModel

/// `fieldsync review`: an editor's review of what reporters sent — the list of stations to look at, and
/// the decisions (accept, reject, verify), each a signed event in the log.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Review reports: list what needs an editor, accept or reject a device's reports, verify a result.",
        discussion: """
            A reporter's observations count only at the stations the device is assigned to; the others are held \
            until an editor accepts them. An editor may also reject a device's reports at a station (they stop \
            counting, even if it is assigned there) or verify a station's result against the photo of the signed \
            sheet. Every decision is kept in the log, signed by the server with the editor's device and reason; \
            a later decision supersedes an earlier one.

            \(ExitStatus.helpText(.unreachable, .refused))
            """,
        subcommands: [
            ReviewListCommand.self, ReviewAcceptCommand.self, ReviewRejectCommand.self, ReviewVerifyCommand.self,
        ],
        defaultSubcommand: ReviewListCommand.self
    )
}

/// `fieldsync review list`: the stations with held reports, disputes or flags.
struct ReviewListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The stations with held reports, disputed results or flags.",
        discussion: ExitStatus.helpText(.unreachable, .refused))

    @Flag(help: "Print the server's JSON document instead of lines.")
    var json = false

    @OptionGroup var server: AuditServerOptions

    func run() async throws {
        try await CommandFailure.reporting {
            let api = AuditServer(credentials: try server.credentials())
            let answer = try await api.json("/v1/reviews")
            if json {
                Console.line(CanonicalJSON.string(answer))
                return
            }
            let stations = answer["stations"]?.arrayValue ?? []
            var lines = [
                "\(stations.count) stations to review, as of log position \(answer["position"]?.integerValue ?? 0):"
            ]
            for station in stations {
                let code = station["station"]?.stringValue ?? "?"
                var parts = [String]()
                for held in station["held"]?.arrayValue ?? [] {
                    parts.append(
                        "held \(held["reason"]?.stringValue ?? "?") from \(held["device"]?.stringValue ?? "?")"
                            + " (\(held["events"]?.arrayValue?.count ?? 0) events)")
                }
                for result in station["results"]?.arrayValue ?? [] where result["status"]?.stringValue == "disputed" {
                    parts.append("\(result["constituency"]?.stringValue ?? "?") disputed")
                }
                let flags = (station["flags"]?.arrayValue ?? []).compactMap { $0["code"]?.stringValue }
                if !flags.isEmpty { parts.append("flags: " + flags.joined(separator: ", ")) }
                lines.append("  \(code)  " + parts.joined(separator: "; "))
            }
            Console.lines(lines)
        }
    }
}

/// What `review accept` and `review reject` take: the station, the device, the reason.
struct ReviewDeviceOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The polling station (NA-248-017).", valueName: "STATION"))
    var station: String

    @Option(help: ArgumentHelp("The reporter's device (20 hex digits).", valueName: "DEVICE"))
    var device: String

    @Option(help: "Why, in a sentence, for the record.")
    var reason: String

    @OptionGroup var server: AuditServerOptions

    func validate() throws {
        guard StationCode(station) != nil else {
            throw ValidationError("'\(station)' is not a station code such as NA-248-017")
        }
        guard DeviceID(device) != nil else {
            throw ValidationError("--device: '\(device)' is not a device id (20 hex digits)")
        }
    }

    /// Records the decision and says so.
    func decide(_ decision: String) async throws {
        try await CommandFailure.reporting {
            let api = AuditServer(credentials: try server.credentials())
            let answer = try await api.post(
                "/v1/stations/\(station)/reviews",
                json: ["decision": .string(decision), "device": .string(device), "reason": .string(reason)])
            Console.line(
                "Device \(device)'s observations at \(station) \(decision) (event at position "
                    + "\(answer["position"]?.integerValue ?? 0)).")
        }
    }
}

/// `fieldsync review accept STATION --device D --reason R`.
struct ReviewAcceptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Let one device's observations at a station count, as if it were assigned there.",
        discussion: ExitStatus.helpText(.unreachable, .refused))

    @OptionGroup var options: ReviewDeviceOptions

    func run() async throws { try await options.decide("accepted") }
}

/// `fieldsync review reject STATION --device D --reason R`.
struct ReviewRejectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract:
            "Hold one device's observations at a station: they no longer count or dispute, even if it is assigned.",
        discussion: ExitStatus.helpText(.unreachable, .refused))

    @OptionGroup var options: ReviewDeviceOptions

    func run() async throws { try await options.decide("rejected") }
}

/// `fieldsync review verify STATION --seat NA-248 --reason R`: verifies the result as it stands now.
struct ReviewVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a station's result for one seat, as its counted reports stand now.",
        discussion: """
            Reads the station's tally and names the events behind the seat's counted reports: the verification \
            stands while those are the reports that count, and is flagged verification-outdated once they change.

            \(ExitStatus.helpText(.unreachable, .refused))
            """)

    @Argument(help: ArgumentHelp("The polling station (NA-248-017).", valueName: "STATION"))
    var station: String

    @Option(help: ArgumentHelp("The seat whose result is verified (NA-248 or PS-125).", valueName: "SEAT"))
    var seat: String

    @Option(help: "What was checked, for the record (\"against the photo of the signed sheet\").")
    var reason: String

    @OptionGroup var server: AuditServerOptions

    func validate() throws {
        guard StationCode(station) != nil else {
            throw ValidationError("'\(station)' is not a station code such as NA-248-017")
        }
        guard ConstituencyCode(seat) != nil else {
            throw ValidationError("--seat: '\(seat)' is not a seat such as NA-248")
        }
    }

    func run() async throws {
        try await CommandFailure.reporting {
            let api = AuditServer(credentials: try server.credentials())
            let document = try await api.json("/v1/stations/\(station)")
            let result = (document["station"]?["results"]?.arrayValue ?? []).first {
                $0["constituency"]?.stringValue == seat
            }
            guard let result, let status = result["status"]?.stringValue else {
                throw UsageProblem("\(station) has no result for \(seat)")
            }
            guard status == "reported" || status == "confirmed" else {
                throw UsageProblem(
                    "the \(seat) result at \(station) is \(status): only a reported or confirmed result can be verified"
                )
            }
            let events = result["events"]?.arrayValue ?? []
            let answer = try await api.post(
                "/v1/stations/\(station)/reviews",
                json: [
                    "decision": "verified", "constituency": .string(seat), "events": .array(events),
                    "reason": .string(reason),
                ])
            Console.line(
                "The \(seat) result at \(station) verified as \(events.count) report events stand (event at position "
                    + "\(answer["position"]?.integerValue ?? 0)).")
        }
    }
}
