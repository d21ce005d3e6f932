import ArgumentParser
import FieldSyncClient
import FieldSyncModel

/// `fieldsync record result`.
struct RecordResultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "result",
        abstract: "The station's Form-45 (result of the count) for one of its two seats.",
        discussion: """
            Give every candidate standing in the seat, 0 if none, as CANDIDATE=VOTES (NA-235-C01=210, or \
            C01=210 once the seat is known), and the rejected ballots. The total cast is the votes plus the \
            rejected unless you give --total (then they must agree); the registered voters are the station's \
            unless you give --registered. The seat is --seat, else the one the candidate codes name.

              fieldsync record result --seat NA-235 C01=210 C02=180 C03=0 --rejected 12
              fieldsync record result --csv form45.csv --photo form45.jpg

            The CSV file has a CANDIDATE,VOTES row per candidate, and may have rows rejected,N, total,N and \
            registered,N; a header row, blank lines and # comments are skipped. The command line wins over it.

            \(ExitStatus.helpText(.invalid, .logProblem))
            """
    )

    @Argument(help: ArgumentHelp("Each candidate's votes.", valueName: "CANDIDATE=VOTES"))
    var votes: [String] = []

    @OptionGroup var form: Form45Options

    @OptionGroup var common: RecordCommonOptions

    func run() async throws {
        try await CommandFailure.reporting {
            var options = common.options(values: votes)
            try form.fill(&options, home: common.home.home)
            try await RecordRunner.record(.observation(.result, options), home: common.home.home)
        }
    }
}

/// The Form-45 options, shared by `record result` and `record correct`.
struct Form45Options: ParsableArguments {
    @Option(help: ArgumentHelp("The seat of this Form-45: the station's NA or PS seat.", valueName: "SEAT"))
    var seat: String?

    @Option(help: ArgumentHelp("Rejected ballots.", valueName: "N"))
    var rejected: String?

    @Option(help: ArgumentHelp("Total ballots cast, as printed (default: votes + rejected).", valueName: "N"))
    var total: String?

    @Option(help: ArgumentHelp("Registered voters, as printed (default: the station's).", valueName: "N"))
    var registered: String?

    @Option(help: ArgumentHelp("A CSV file of CANDIDATE,VOTES rows.", valueName: "FILE"))
    var csv: String?

    @Option(
        help: ArgumentHelp(
            "A photo of the signed Form-45 (JPEG or PNG, at most 8 MiB): kept in the profile, sent after the events.",
            valueName: "FILE"))
    var photo: String?

    /// Fills the Form-45 options in; a photo is copied into `home`'s photos.
    func fill(_ options: inout RecordOptions, home: ClientHome) throws {
        options.seat = seat
        options.rejected = rejected
        options.total = total
        options.registered = registered
        if let csv {
            guard let bytes = try DurableFile.contents(of: csv) else {
                throw RecordProblems([
                    RecordProblem("--csv", "\(csv) does not exist", allowed: "a CSV file of CANDIDATE,VOTES rows")
                ])
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw RecordProblems([
                    RecordProblem(
                        "--csv", "\(csv) is not UTF-8 text",
                        allowed: "a CSV file saved as UTF-8 (in a spreadsheet: Save As, CSV UTF-8)")
                ])
            }
            options.csv = Form45File(name: csv, text: text)
        }
        if let photo { options.photo = try PhotoFolder(home: home).add(file: photo) }
    }
}
