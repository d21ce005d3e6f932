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
                try await page.openSignedIn(server.url, token: token)
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

    @Test(.timeLimit(.minutes(10))) func aPostponedSeatIsMarkedAndLeftOutOfTheSums() async throws {
        let postponed = ConstituencyCode("NA-229")!
        var election = KarachiDemo.election
        election.postponed = [postponed]
        let reference = DashboardBrowserTests.reference(demo: KarachiDemo()).map { draft in
            draft.type == .electionDefined
                ? EventDraft(payload: .electionDefined(election), time: ObservedTime(draft.time)!) : draft
        }
        try await DashboardServer.with(reference: reference) { server in
            let token = try await server.editorToken()
            try await HeadlessChromium.with { browser in
                let page = try await BrowserPage.open(in: browser)
                try await page.openSignedIn(server.url, token: token)
                try await page.waitUntil("the overview", "document.body.dataset.ready === 'true'")
                try await page.waitUntil(
                    "the postponed seat named under the summary",
                    "!!document.querySelector('[data-region=postponed] [data-postponed=\"NA-229\"]')")
                // 22 NA seats, one postponed: the city sums 21.
                let leaders = try await page.text("[data-region=city-summary] [data-field=seats-with-leader]")
                #expect(leaders?.contains("of 21") == true, "\(leaders ?? "nil")")
                #expect(try await page.text("[data-seat=\"NA-229\"] [data-field=postponed]") == "postponed")
                #expect(try await page.text("[data-seat=\"NA-235\"] [data-field=postponed]") == nil)

                // The provincial view: the Sindh Assembly's own roll-up, and no postponed PS seat.
                try await page.navigate("\(server.url)/#/provincial")
                try await page.waitUntil(
                    "the Sindh Assembly's roll-up",
                    "!!document.querySelector('[data-region=city-summary][data-assembly=PS]')")
                #expect(try await page.text("[data-region=postponed]") == nil)

                // The seat's own page says so (the same document: only its hash changes).
                _ = try await page.evaluateJSON("location.hash = '#/\(postponed)'")
                try await page.waitUntil(
                    "the postponed seat's page",
                    "document.querySelector('[data-region=postponed]')?.textContent.includes('Postponed')")
                #expect(browser.exceptions.isEmpty, "the page threw: \(browser.exceptions)")
            }
        }
    }
}
