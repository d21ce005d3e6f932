import ArgumentParser
import FieldSyncClient
import FieldSyncModel

/// `fieldsync record correct`.
struct RecordCorrectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Correct or retract one of your earlier observations, with a reason.",
        discussion: """
            The log is never rewritten: a correction is a new event that supersedes the earlier one. Name the \
            earlier event by its seq (as `fieldsync log` shows it) or its id, give a reason, and either \
            --retract or the values that were wrong, as for `fieldsync record <kind>`; everything else is kept \
            from the original.

              fieldsync record correct 4 --reason "copied the wrong row" 415 --male 231
              fieldsync record correct 9 --reason "wrong seat" --seat PS-110 C01=120 ...
              fieldsync record correct 2f1c9a07 --reason "wrong station" --retract

            \(ExitStatus.helpText(.invalid, .logProblem))
            """
    )

    @Argument(
        help: ArgumentHelp(
            "The event to correct: its seq (such as 4) or its id (or its first 8 characters).", valueName: "EVENT"))
    var event: String

    @Argument(
        help: ArgumentHelp(
            "The corrected values, as for the original kind (VOTES, PARTY=PRESENCE, …).", valueName: "VALUES"))
    var values: [String] = []

    @Option(help: ArgumentHelp("Why it is corrected.", valueName: "TEXT"))
    var reason: String?

    @Flag(help: "Withdraw the event instead of correcting its values.")
    var retract = false

    @Option(help: ArgumentHelp("opened, closed: when it opened or closed.", valueName: "TIME"))
    var at: String?

    @Option(help: ArgumentHelp("opened: complete or incomplete.", valueName: "complete|incomplete"))
    var materials: String?

    @Option(help: ArgumentHelp("opened: present or absent.", valueName: "present|absent"))
    var staff: String?

    @Option(help: ArgumentHelp("closed: voters still in the queue.", valueName: "N"))
    var queue: String?

    @Option(help: ArgumentHelp("turnout: votes by men.", valueName: "N"))
    var male: String?

    @Option(help: ArgumentHelp("turnout: votes by women.", valueName: "N"))
    var female: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("turnout: the time the count refers to.", valueName: "TIME"))
    var asOf: String?

    @Option(help: ArgumentHelp("incident: low, medium or high.", valueName: "low|medium|high"))
    var severity: String?

    @Option(name: .customLong("occurred-at"), help: ArgumentHelp("incident: when it happened.", valueName: "TIME"))
    var occurredAt: String?

    @OptionGroup var form: Form45Options

    @OptionGroup var common: RecordCommonOptions

    func run() async throws {
        try await CommandFailure.reporting {
            var options = common.options(values: values)
            options.at = at
            options.materials = materials
            options.staff = staff
            options.queue = queue
            options.male = male
            options.female = female
            options.asOf = asOf
            options.severity = severity
            options.occurredAt = occurredAt
            try form.fill(&options, home: common.home.home)
            try await RecordRunner.record(
                .correction(event: event, reason: reason, retract: retract, options), home: common.home.home)
        }
    }
}
