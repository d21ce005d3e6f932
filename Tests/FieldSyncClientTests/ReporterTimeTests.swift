import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

@Suite struct ReporterTimeTests {
    let now = Timestamp(rfc3339: "2024-02-08T13:05:00+05:00")!

    func parse(_ text: String) -> String? {
        ReporterTime.parse(text, calendar: KarachiDemo.election.calendar, now: now)?.text
    }

    @Test func clockTimesArePollingDayInKarachi() {
        #expect(parse("08:40") == "2024-02-08T08:40:00+05:00")
        #expect(parse("8:40") == "2024-02-08T08:40:00+05:00")
        #expect(parse("17:00:30") == "2024-02-08T17:00:30+05:00")
    }

    @Test func smallHoursAreTheNightAfterPollingDay() {
        #expect(parse("01:30") == "2024-02-09T01:30:00+05:00")
        #expect(parse("06:00") == "2024-02-08T06:00:00+05:00")
        #expect(parse("05:59") == "2024-02-09T05:59:00+05:00")
    }

    @Test func fullTimesAreKeptAsWritten() {
        #expect(parse("2024-02-08T03:40:00Z") == "2024-02-08T03:40:00Z")
        #expect(parse("2024-02-08 09:15") == "2024-02-08T09:15:00+05:00")
        #expect(parse("now") == "2024-02-08T13:05:00+05:00")
    }

    @Test func nonsenseIsRefused() {
        for text in ["25:00", "8.40", "08:60", "", "tomorrow", "2024-02-30T08:00:00+05:00", "08:4"] {
            #expect(parse(text) == nil, "\(text)")
        }
    }
}
