import FieldSyncModel
import FieldSyncServer
import FieldSyncTestSupport
import Foundation
import Testing

/// The dashboard names the election the server defines, not Karachi: its area in titles and breadcrumbs,
/// its polling day in the heading, its assemblies' names, and times in its own zone.
@Suite(.serialized, .tags(.browser), .disabled(if: TestScope.isFast, TestScope.skippedWhenFast))
struct ElectionBrowserTests {
    /// An election on another day, three hours behind UTC, in an invented area.
    static let election = ElectionDefinition.otherDayAndZone

    /// The dashboard tests' reference data with this election in place of Karachi's.
    static var reference: [EventDraft] {
        DashboardBrowserTests.reference(demo: KarachiDemo()).map { draft in
            draft.type == .electionDefined
                ? EventDraft(payload: .electionDefined(election), time: ObservedTime("2031-10-20T09:00:00-03:00")!)
                : draft
        }
    }

    @Test(.timeLimit(.minutes(10))) func theDashboardNamesTheElectionItServes() async throws {
        let demo = KarachiDemo()
        let seat = DashboardBrowserTests.seat
        let station = try #require(demo.stations.filter { $0.national == seat }.min { $0.code < $1.code })
        try await DashboardServer.with(reference: Self.reference) { server in
            let token = try await server.editorToken()
            var reporter = try await server.reporter()
            let incident = "Ballot boxes arrived unsealed"
            try await server.push(
                [
                    EventDraft(
                        payload: .incidentObserved(
                            Incident(kind: .materialsMissing, severity: .high, description: incident)),
                        subject: station.code.rawValue, time: ObservedTime("2031-11-04T14:12:00-03:00")!)
                ],
                as: &reporter)
            try await HeadlessChromium.with { browser in
                let page = try await BrowserPage.open(in: browser)
                let credentials = DashboardBrowserTests.quoted(
                    #"{"token":"\#(token)","device":null,"name":"Newsroom","role":"editor"}"#)
                try await page.navigate("\(server.url)/")
                _ = try await page.evaluateJSON(
                    "localStorage.setItem('fieldsync.dashboard.credentials', \(credentials))")
                try await page.navigate("\(server.url)/?signed-in")
                try await page.waitUntil("the overview", "document.body.dataset.ready === 'true'")
                try await page.waitUntil(
                    "the election's area in the title",
                    "document.title === 'Northern Province at a glance · FieldSync'")
                #expect(try await page.text("h1") == "Northern Province at a glance")
                #expect(try await page.text("#server-name") == "Northern Province · 4 November 2031")
                let provincial = try await page.text("button[data-action=assembly][data-value=provincial]")
                #expect(provincial?.contains("Provincial Assembly of the North") == true, "\(provincial ?? "nil")")

                // The incident's time in the election's zone, on its polling day: no date.
                try await page.waitUntil(
                    "the incident in the feed",
                    "document.querySelector('[data-region=incidents] li.incident')?.textContent.includes(\(DashboardBrowserTests.quoted(incident)))"
                )
                let feed = try await page.text("[data-region=incidents]") ?? ""
                #expect(feed.contains("times in UTC-03:00"), "\(feed)")
                let shown: String? = try await page.evaluate(
                    "document.querySelector('[data-region=incidents] li.incident time')?.textContent")
                #expect(shown == "14:12", "\(shown ?? "nil")")

                // A seat's breadcrumb starts at the election's area.
                try await page.navigate("\(server.url)/#/\(seat)")
                try await page.waitUntil(
                    "the seat page", "document.querySelector('.crumbs a')?.textContent === 'Northern Province'")
                #expect(browser.exceptions.isEmpty, "the page threw: \(browser.exceptions)")
            }
        }
    }
}
