import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

/// The dashboard's own charts in a real browser (see ``DashboardBrowserTests`` for how it is driven):
/// the turnout line and the votes-by-party bars of a seat, the city and a station show the figures of
/// the documents the server serves, follow a push without a reload, carry a title for screen readers
/// and fit a phone's screen.
@Suite(.serialized, .tags(.browser), .disabled(if: TestScope.isFast, TestScope.skippedWhenFast))
struct ChartBrowserTests {
    static var seat: ConstituencyCode { DashboardBrowserTests.seat }

    /// One bar of a chart, as the page draws it.
    struct Bar: Decodable, Equatable {
        var party: String
        var value: Int
        var width: Double
    }

    /// One point of a turnout line, as the page draws it.
    struct Point: Decodable, Equatable {
        var at: String
        var value: Int
    }

    static func bars(_ chart: String, on page: BrowserPage) async throws -> [Bar] {
        try await page.evaluate(
            """
            [...document.querySelectorAll('[data-chart=\(chart)] g[data-bar-party]')].map((g) => {
              const bar = g.querySelector('rect.bar[data-series=field]');
              return { party: g.dataset.barParty, value: Number(bar.dataset.value), width: Number(bar.getAttribute('width')) };
            })
            """)
    }

    static func points(_ chart: String, on page: BrowserPage) async throws -> [Point] {
        try await page.evaluate(
            "[...document.querySelectorAll('[data-chart=\(chart)] circle.series')].map((c) => ({ at: c.dataset.at, value: Number(c.dataset.value) }))"
        )
    }

    /// The bars show `votes` exactly: one per party, most first, each as long as its share of the longest.
    static func expectBars(_ bars: [Bar], match votes: [String: JSONValue], _ what: String) {
        let expected = votes.compactMapValues(\.integerValue)
        #expect(
            Dictionary(uniqueKeysWithValues: bars.map { ($0.party, $0.value) }) == expected.mapValues(Int.init),
            "\(what): \(bars) against \(expected)")
        #expect(bars.map(\.value) == bars.map(\.value).sorted(by: >), "\(what): most votes first")
        guard let longest = bars.map(\.width).max(), let top = bars.map(\.value).max(), top > 0 else { return }
        for bar in bars {
            #expect(abs(bar.width / longest - Double(bar.value) / Double(top)) < 0.01, "\(what): \(bar)")
        }
    }

    /// The points of a `turnoutByHour`.
    static func hours(_ series: JSONValue?) -> [Point] {
        (series?.arrayValue ?? []).map {
            Point(at: $0["at"]?.stringValue ?? "", value: Int($0["votesCast"]?.integerValue ?? -1))
        }
    }

    static func turnout(_ station: PollingStation, _ votes: Int, at time: String) -> EventDraft {
        let time = ObservedTime(time)!
        return EventDraft(
            payload: .turnoutCounted(TurnoutCount(asOf: time, votesCast: votes)), subject: station.code.rawValue,
            time: time)
    }

    @Test(.timeLimit(.minutes(10))) func chartsShowTheDocumentsFiguresAndFollowPushes() async throws {
        let demo = KarachiDemo()
        let stations = demo.stations.filter { $0.national == Self.seat }.sorted { $0.code < $1.code }
        let candidates = demo.candidates.filter { $0.constituency == Self.seat }.sorted { $0.id < $1.id }
        let winner = try #require(candidates.last)

        try await DashboardServer.with(reference: DashboardBrowserTests.reference(demo: demo), heartbeatSeconds: 2) {
            server in
            let token = try await server.editorToken()
            var reporter = try await server.reporter()
            // Two stations count through the morning; one reports its Form-45.
            var position = try await server.push(
                [
                    Self.turnout(stations[0], 40, at: "2024-02-08T09:30:00+05:00"),
                    Self.turnout(stations[0], 95, at: "2024-02-08T10:45:00+05:00"),
                    Self.turnout(stations[1], 60, at: "2024-02-08T10:15:00+05:00"),
                    DashboardBrowserTests.form45(for: stations[0], candidates: candidates, winner: winner.id),
                ], as: &reporter)
            try await server.waitForTallies(upTo: position, token: token)

            try await HeadlessChromium.with { browser in
                let page = try await BrowserPage.open(in: browser, width: 390, height: 844, mobile: true)
                try await page.openSignedIn(server.url, token: token, route: "#/\(Self.seat)")
                try await page.waitUntil(
                    "the seat's charts", "document.querySelectorAll('[data-chart=seat-parties] rect.bar').length > 0")
                _ = try await page.evaluateJSON("window.stillTheSameDocument = true")

                // The seat: its bars are its votes by party; its line is its turnout by hour.
                var seat = try await HTTP.get(server.url + "/v1/tallies/\(Self.seat)", token: token).json()[
                    "constituency"]
                let votes = try #require(seat?["votesByParty"]?["countingBackedIndependents"]?.objectValue)
                Self.expectBars(try await Self.bars("seat-parties", on: page), match: votes, "the seat's bars")
                let hours = Self.hours(seat?["turnoutByHour"])
                #expect(
                    hours.map(\.value) == [40, 155], "04:00 UTC: 40 at one station; 06:00 UTC: 95 + 60 (\(hours))")
                #expect(try await Self.points("seat-turnout", on: page) == hours)
                let title: String? = try await page.evaluate(
                    "document.querySelector('[data-chart=seat-turnout] svg > title')?.textContent ?? null")
                #expect(title?.contains(Self.seat.rawValue) == true, "\(title ?? "no title")")
                let described: String? = try await page.evaluate(
                    "document.querySelector('[data-chart=seat-turnout] svg > desc')?.textContent ?? null")
                #expect(described?.contains("155 votes cast") == true, "\(described ?? "no description")")
                let overflow: Int = try await page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth")
                #expect(overflow <= 0, "the seat page is \(overflow) px wider than a phone's screen")
                let chartWidth: Double = try await page.evaluate(
                    "document.querySelector('[data-chart=seat-parties] svg').getBoundingClientRect().width")
                #expect(chartWidth > 200 && chartWidth <= 390, "the bars are \(chartWidth) px wide on a phone")

                // A later count arrives: the line grows without a reload.
                position = try await server.push(
                    [Self.turnout(stations[1], 130, at: "2024-02-08T12:05:00+05:00")], as: &reporter)
                try await server.waitForTallies(upTo: position, token: token)
                try await page.waitUntil(
                    "the new hour on the seat's line",
                    "document.querySelectorAll('[data-chart=seat-turnout] circle.series').length === 3")
                seat = try await HTTP.get(server.url + "/v1/tallies/\(Self.seat)", token: token).json()["constituency"]
                #expect(Self.hours(seat?["turnoutByHour"]).map(\.value) == [40, 155, 225])
                #expect(try await Self.points("seat-turnout", on: page) == Self.hours(seat?["turnoutByHour"]))

                // A second Form-45 for another winner: the bars follow.
                let runnerUp = try #require(candidates.first)
                position = try await server.push(
                    [DashboardBrowserTests.form45(for: stations[1], candidates: candidates, winner: runnerUp.id)],
                    as: &reporter)
                try await server.waitForTallies(upTo: position, token: token)
                seat = try await HTTP.get(server.url + "/v1/tallies/\(Self.seat)", token: token).json()["constituency"]
                let after = try #require(seat?["votesByParty"]?["countingBackedIndependents"]?.objectValue)
                let expectedTotal = after.values.compactMap(\.integerValue).reduce(0, +)
                try await page.waitUntil(
                    "the bars after the second Form-45",
                    "[...document.querySelectorAll('[data-chart=seat-parties] rect.bar')].reduce((s, r) => s + Number(r.dataset.value), 0) === \(expectedTotal)"
                )
                Self.expectBars(try await Self.bars("seat-parties", on: page), match: after, "the seat's bars after")
                #expect(try await page.evaluate("window.stillTheSameDocument === true", as: Bool.self))
                // For a person to look at: DASHBOARD_SCREENSHOTS=/some/folder swift test --filter ChartBrowserTests
                if let folder = ProcessInfo.processInfo.environment["DASHBOARD_SCREENSHOTS"] {
                    try await page.screenshot(to: "\(folder)/seat-charts-phone.png")
                }

                // The city: national seats' votes summed, and the national roll-up's turnout by hour.
                _ = try await page.evaluateJSON("location.hash = '#/'")
                try await page.waitUntil(
                    "the city's charts",
                    "document.querySelectorAll('[data-chart=city-turnout] circle.series').length > 0")
                let overview = try await HTTP.get(server.url + "/v1/tallies", token: token).json()
                #expect(
                    try await Self.points("city-turnout", on: page)
                        == Self.hours(overview["city"]?["national"]?["turnoutByHour"]))
                var cityVotes = [String: JSONValue]()
                for (_, seat) in overview["constituencies"]?.objectValue ?? [:]
                where seat["assembly"]?.stringValue == "national" {
                    for (party, votes) in seat["votesByParty"]?["countingBackedIndependents"]?.objectValue ?? [:] {
                        cityVotes[party] = .integer((cityVotes[party]?.integerValue ?? 0) + (votes.integerValue ?? 0))
                    }
                }
                Self.expectBars(try await Self.bars("city-parties", on: page), match: cityVotes, "the city's bars")

                // A station: every count of its history.
                _ = try await page.evaluateJSON("location.hash = '#/station/\(stations[1].code)'")
                try await page.waitUntil(
                    "the station's line",
                    "document.querySelectorAll('[data-chart=station-turnout] circle.series').length === 2")
                let station = try await HTTP.get(server.url + "/v1/stations/\(stations[1].code)", token: token).json()
                let history = (station["station"]?["turnout"]?["history"]?.arrayValue ?? []).map {
                    Point(at: $0["asOf"]?.stringValue ?? "", value: Int($0["votesCast"]?.integerValue ?? -1))
                }
                #expect(history.map(\.value) == [60, 130])
                #expect(try await Self.points("station-turnout", on: page) == history)
                #expect(browser.exceptions.isEmpty, "the page threw: \(browser.exceptions)")
            }
        }
    }
}
