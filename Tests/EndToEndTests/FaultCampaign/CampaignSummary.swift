import Foundation

/// What a fault campaign did and found: the count the campaign prints.
struct CampaignSummary: Sendable, CustomStringConvertible {
    var seed: UInt64
    var reporters: Int
    /// Faults that took effect, by kind.
    var injected: [FaultKind: Int] = [:]
    /// Faults armed that did not land: the sync had ended before the trigger point, or the recording
    /// before the kill.
    var missed: [FaultKind: Int] = [:]
    /// Time spent on each kind: injecting, recovering, bringing the reporter up to date, checking.
    var time: [FaultKind: Duration] = [:]
    /// Torn last lines a killed recording left, set aside by the next command to open the log.
    var quarantined = 0
    /// Times the invariant was checked (after every fault, landed or not).
    var checks = 0
    /// Every how many checks the city's, districts' and every seat's tallies were compared too.
    var overviewEvery = 1
    /// Times the whole log was checked from scratch by `fieldsync audit verify` and `audit replay --compare`.
    var wholeLogChecks = 0
    /// Events in the reporters' logs at the last check.
    var events = 0
    /// Events in a reporter's log that the server lacked, summed over every check.
    var lost = 0
    /// Events the server held twice (same id, or same device and seq), summed over every check.
    var duplicated = 0
    /// Events the server held for a reporter that its log does not have, summed over every check.
    var unexpected = 0
    /// Events recorded at a station of a seat no reporter is assigned to, held (never counted) at the last check.
    var held = 0
    /// Photos the stored events named at the last check, each found stored once and intact.
    var photos = 0
    /// Photos whose bytes were fetched from the server and hashed (each once, when it first appeared).
    var photosFetched = 0
    /// Photos still pending by the reporters' `fieldsync status` at the end, summed (none when all is well).
    var photosPendingAtEnd = 0
    /// Events on the server when the campaign ended (reference data and enrollments included).
    var serverPosition: Int64 = 0
    var elapsed: Duration = .zero
    /// What went wrong, first to last; empty when every check passed.
    var failures: [String] = []

    var totalInjected: Int { injected.values.reduce(0, +) }

    /// Faults that struck a photo's upload or carried one, landed.
    var photoFaults: Int { injected.filter(\.key.strikesPhoto).values.reduce(0, +) }

    var description: String {
        var lines = [
            "Fault campaign (seed \(seed), \(reporters) reporters): \(totalInjected) faults injected in "
                + String(format: "%.0f s", Self.seconds(elapsed)),
            "  " + "fault".padding(toLength: Self.width, withPad: " ", startingAt: 0) + "  landed  s/turn",
        ]
        for kind in FaultKind.allCases {
            let turns = injected[kind, default: 0] + missed[kind, default: 0]
            let perTurn = turns == 0 ? 0 : Self.seconds(time[kind, default: .zero]) / Double(turns)
            let missedNote = missed[kind].map { "  (\($0) more armed that did not land)" } ?? ""
            lines.append(
                "  " + kind.rawValue.padding(toLength: Self.width, withPad: " ", startingAt: 0)
                    + String(format: "  %6d  %6.2f", injected[kind, default: 0], perTurn) + missedNote)
        }
        lines.append(
            "Events recorded by the reporters: \(events); lost: \(lost); duplicated: \(duplicated); "
                + "unexpected: \(unexpected) (server log: \(serverPosition) events with reference data and enrollments); "
                + "torn lines set aside after a killed recording: \(quarantined); recorded where the reporter is not "
                + "assigned, held and never counted: \(held)")
        lines.append(
            "Invariant checked \(checks) times, after every fault: each reporter's events on the server exactly "
                + "once; the new export lines verified (signatures, device and global chains, signed head); the "
                + "reporters' seats and stations tallied as the auditor's own fold, which applies the assignment "
                + "rule, with nothing counted where they are not assigned (the city, districts and every "
                + "seat every \(overviewEvery) checks). Whole log exported and re-verified by fieldsync audit export "
                + "--photos, verify --photos and replay --compare \(wholeLogChecks) times.")
        lines.append(
            "Photos (Form-45 sheets and incidents, \(CampaignReporter.form45PhotoSizes.lowerBound / 1000)–"
                + "\(CampaignReporter.form45PhotoSizes.upperBound / 1000) KB): \(photoFaults) photo faults landed; "
                + "\(photos) photos named by stored events checked after every fault, each stored once and intact "
                + "(its size and type the event's; \(photosFetched) fetched and hashed as they arrived, all again "
                + "by audit export --photos and audit verify --photos with the whole log), none stored that no event "
                + "names, no upload piece left of a stored photo; photos pending in the reporters' status at the end: "
                + "\(photosPendingAtEnd).")
        lines.append(failures.isEmpty ? "Every check passed." : "FAILURES:\n" + failures.joined(separator: "\n"))
        return lines.joined(separator: "\n")
    }

    private static let width = FaultKind.allCases.map(\.rawValue.count).max() ?? 0

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
