import FieldSyncTestSupport
import Foundation
import Testing

/// Hundreds of faults through a polling day (``FaultCampaign``): nothing lost, nothing stored twice,
/// chains intact, tallies equal to an independent fold after every one. Its own suite, so it runs
/// beside the other end-to-end tests rather than after them.
///
/// `FIELDSYNC_FAULTS` (default 200, in the proportions of ``FaultKind/schedule``) and `FIELDSYNC_FAULT_SEED` size and vary it; with
/// `FIELDSYNC_FAULT_REPORT` set, the summary is also written to that file.
@Suite(
    .tags(.faultCampaign), .disabled(if: TestScope.isFast, TestScope.skippedWhenFast), .timeLimit(.minutes(30)))
struct FaultCampaignTests {
    @Test func nothingIsLostOrStoredTwiceThroughHundredsOfFaults() async throws {
        let options = FaultCampaign.Options.fromEnvironment()
        var campaign = try await FaultCampaign.prepare(options)
        let summary: CampaignSummary
        do {
            summary = try await campaign.run()
        } catch {
            print(campaign.summary)
            await campaign.stop()
            throw error
        }
        await campaign.stop()
        print(summary)
        if let path = ProcessInfo.processInfo.environment["FIELDSYNC_FAULT_REPORT"] {
            try (summary.description + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(summary.failures.isEmpty, "\(summary.failures.prefix(5))")
        #expect(summary.totalInjected >= options.faults)
        #expect(summary.lost == 0)
        #expect(summary.duplicated == 0)
        #expect(summary.unexpected == 0)
        for kind in FaultKind.allCases {
            #expect(summary.injected[kind, default: 0] > 0, "no \(kind.rawValue) landed")
        }
    }
}
