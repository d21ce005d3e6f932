import ArgumentParser
import FieldSyncClient
import FieldSyncModel

/// `fieldsync record opened`.
struct RecordOpenedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opened",
        abstract: "The station opened: when, and whether materials and staff were all there.",
        discussion: """
            Example:
              fieldsync record opened --station NA-235-001 --at 08:40 \\
                  --materials complete --staff present

            \(ExitStatus.helpText(.invalid, .logProblem))
            """
    )

    @Option(
        help: ArgumentHelp("When polling started, such as 08:40 (default: the observation time).", valueName: "TIME"))
    var at: String?

    @Option(
        help: ArgumentHelp(
            "Ballot papers, boxes, stamps and forms: complete or incomplete.", valueName: "complete|incomplete"))
    var materials: String?

    @Option(
        help: ArgumentHelp("The presiding officer and polling staff: present or absent.", valueName: "present|absent"))
    var staff: String?

    @OptionGroup var common: RecordCommonOptions

    func run() async throws {
        var options = common.options()
        options.at = at
        options.materials = materials
        options.staff = staff
        try await RecordRunner.run(.observation(.opened, options), home: common.home.home)
    }
}

/// `fieldsync record closed`.
struct RecordClosedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "closed",
        abstract: "The station closed: when, and how many voters were still waiting in the queue.",
        discussion: """
            Example:
              fieldsync record closed --at 17:00 --queue 35

            \(ExitStatus.helpText(.invalid, .logProblem))
            """
    )

    @Option(
        help: ArgumentHelp("When polling closed, such as 17:00 (default: the observation time).", valueName: "TIME"))
    var at: String?

    @Option(help: ArgumentHelp("Voters still waiting in the queue at closing time.", valueName: "N"))
    var queue: String?

    @OptionGroup var common: RecordCommonOptions

    func run() async throws {
        var options = common.options()
        options.at = at
        options.queue = queue
        try await RecordRunner.run(.observation(.closed, options), home: common.home.home)
    }
}

/// `fieldsync record agents`.
struct RecordAgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents",
        abstract: "Which parties' polling agents you saw at the station.",
        discussion: """
            One PARTY=PRESENCE per party, PRESENCE being present, absent or expelled (made to leave). The \
            parties are those with a candidate in the station's two seats.

              fieldsync record agents PPP=present MQM-P=absent PTI=expelled

            \(ExitStatus.helpText(.invalid, .logProblem))
            """
    )

    @Argument(help: ArgumentHelp("PARTY=present|absent|expelled, one or more.", valueName: "PARTY=PRESENCE"))
    var agents: [String] = []

    @OptionGroup var common: RecordCommonOptions

    func run() async throws {
        try await RecordRunner.run(.observation(.agents, common.options(values: agents)), home: common.home.home)
    }
}

/// `fieldsync record turnout`.
struct RecordTurnoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "turnout",
        abstract: "How many votes had been cast at the station by a given time.",
        discussion: """
            Example:
              fieldsync record turnout 412 --male 230 --female 182 --as-of 13:00

            \(ExitStatus.helpText(.invalid, .logProblem))
            """
    )

    @Argument(help: ArgumentHelp("The votes cast so far.", valueName: "VOTES"))
    var votes: [String] = []

    @Option(help: ArgumentHelp("Of which by men.", valueName: "N"))
    var male: String?

    @Option(help: ArgumentHelp("Of which by women.", valueName: "N"))
    var female: String?

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "The time the count refers to, such as 13:00 (default: the observation time).", valueName: "TIME"))
    var asOf: String?

    @OptionGroup var common: RecordCommonOptions

    func run() async throws {
        var options = common.options(values: votes)
        options.male = male
        options.female = female
        options.asOf = asOf
        try await RecordRunner.run(.observation(.turnout, options), home: common.home.home)
    }
}

/// `fieldsync record incident`.
struct RecordIncidentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident",
        abstract: "Something that went wrong at or around the station.",
        discussion: """
            KIND is one of: violence, intimidation, agent-expelled, form45-refused, ballot-stuffing, \
            voters-turned-away, late-opening, materials-missing, power-outage, network-down, other.

              fieldsync record incident violence --severity high "Clash outside gate 2"
              fieldsync record incident form45-refused --severity high "No copy given" --photo notice.jpg

            \(ExitStatus.helpText(.invalid, .logProblem))
            """
    )

    @Argument(
        help: ArgumentHelp("The kind, then what happened in your words (in quotes).", valueName: "KIND DESCRIPTION"))
    var words: [String] = []

    @Option(help: ArgumentHelp("How serious: low, medium or high.", valueName: "low|medium|high"))
    var severity: String?

    @Option(
        name: .customLong("occurred-at"),
        help: ArgumentHelp("When it happened, if not at the observation time.", valueName: "TIME"))
    var occurredAt: String?

    @Option(
        help: ArgumentHelp(
            "A photo of what happened (JPEG or PNG, at most 8 MiB): kept in the profile, sent after the events.",
            valueName: "FILE"))
    var photo: String?

    @OptionGroup var common: RecordCommonOptions

    func run() async throws {
        try await CommandFailure.reporting {
            var options = common.options(values: words)
            options.severity = severity
            options.occurredAt = occurredAt
            if let photo { options.photo = try PhotoFolder(home: common.home.home).add(file: photo) }
            try await RecordRunner.record(.observation(.incident, options), home: common.home.home)
        }
    }
}
