import ArgumentParser
import FieldSyncClient
import FieldSyncModel

/// `fieldsync record …`: one observation into the local log, offline.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record one observation at your polling station, offline, into this laptop's signed log.",
        discussion: """
            Each observation is checked on this laptop against the stations and candidates fetched by \
            `fieldsync init` (the same checks the server makes), signed with this device's key, chained to the \
            one before, and written to the log before "Recorded" is printed. `fieldsync sync` sends it later.

            The station is the one of your last observation unless you give --station; the time is now, on the \
            election's clock (+05:00 in Karachi), unless you give --time. Times may be typed as 08:40.

            A typical day (see `fieldsync record <kind> --help` for each):
              fieldsync record opened --station NA-235-001 --at 08:05 \\
                  --materials complete --staff present
              fieldsync record agents PPP=present MQM-P=present PTI=absent
              fieldsync record turnout 412 --male 230 --female 182 --as-of 13:00
              fieldsync record incident violence --severity high "Clash at gate 2"
              fieldsync record closed --at 17:00 --queue 35
              fieldsync record result --seat NA-235 C01=210 C02=180 ... --rejected 12
              fieldsync record correct 3 --reason "copied wrong" 415 --male 231
              fieldsync log

            Rehearsing on another day? FIELDSYNC_NOW=2024-02-08T09:00:00+05:00 sets the clock. An observation \
            that is not valid is refused with each problem on its own line, and nothing is written.

            \(ExitStatus.helpText(.invalid, .logProblem))
            """,
        subcommands: [
            RecordOpenedCommand.self, RecordClosedCommand.self, RecordAgentsCommand.self, RecordTurnoutCommand.self,
            RecordIncidentCommand.self, RecordResultCommand.self, RecordCorrectCommand.self,
        ]
    )
}

/// The options every `record` subcommand takes.
struct RecordCommonOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The polling station's code, such as NA-235-001 (default: the station of your last observation).",
            valueName: "CODE"))
    var station: String?

    @Option(
        help: ArgumentHelp(
            "When you observed it: 08:40 (polling day, election time) or 2024-02-08T08:40:00+05:00 (default: now).",
            valueName: "TIME"))
    var time: String?

    @OptionGroup var home: ClientHomeOption

    /// Options with the station and time filled in.
    func options(values: [String] = []) -> RecordOptions {
        var options = RecordOptions()
        options.values = values
        options.station = station
        options.time = time
        return options
    }
}
