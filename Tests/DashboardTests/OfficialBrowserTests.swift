import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import NIOHTTP1
import Testing

/// The dashboard's official view (`#/official`, `#/official/NA-235`) in a real browser (see
/// ``DashboardBrowserTests`` for how it is driven): after an editor imports the commission's Form-45s with
/// known differences, the view lists exactly those, the most decisive first, each row opening its
/// station's page; a corrected import drops the difference it corrects without a reload.
@Suite(.serialized, .tags(.browser), .disabled(if: TestScope.isFast, TestScope.skippedWhenFast))
struct OfficialBrowserTests {
    static var seat: ConstituencyCode { DashboardBrowserTests.seat }

    /// The rows the view shows, in order.
    struct Row: Decodable, Equatable {
        var station: String
        var device: String
        var size: Int
    }

    static func rows(on page: BrowserPage) async throws -> [Row] {
        try await page.evaluate(
            """
            [...document.querySelectorAll('[data-official-row]')].map((li) => ({
              station: li.dataset.station, device: li.dataset.device, size: Number(li.dataset.size) }))
            """)
    }

    /// A station's counted Form-45 for its seat, as its document has it.
    struct Counted {
        var station: String
        var seat: String
        var votes: [String: Int64]
        var rejected: Int64
    }

    /// The commission's Form-45 file for `reports`, with `change`'s votes added to the official figures of
    /// a station's candidate.
    static func file(_ reports: [Counted], change: [String: (String, Int64)]) -> [UInt8] {
        var rows = ["station,constituency,candidate,votes"]
        for report in reports {
            var total = report.rejected
            for (candidate, votes) in report.votes.sorted(by: { $0.key < $1.key }) {
                let official = votes + (change[report.station]?.0 == candidate ? change[report.station]!.1 : 0)
                total += official
                rows.append("\(report.station),\(report.seat),\(candidate),\(official)")
            }
            rows.append("\(report.station),\(report.seat),rejected,\(report.rejected)")
            rows.append("\(report.station),\(report.seat),total,\(total)")
        }
        return Array((rows.joined(separator: "\n") + "\n").utf8)
    }

    @Test(.timeLimit(.minutes(10))) func theOfficialViewListsTheImportsDifferencesInOrder() async throws {
        let demo = KarachiDemo()
        let stations = Array(demo.stations.filter { $0.national == Self.seat }.sorted { $0.code < $1.code }.prefix(3))
        let candidates = demo.candidates.filter { $0.constituency == Self.seat }.sorted { $0.id < $1.id }
        let winner = try #require(candidates.last)
        let other = try #require(candidates.first)

        try await DashboardServer.with(reference: DashboardBrowserTests.reference(demo: demo), heartbeatSeconds: 2) {
            server in
            let token = try await server.editorToken()
            var reporter = try await server.reporter()
            let pushed = try await server.push(
                stations.map { DashboardBrowserTests.form45(for: $0, candidates: candidates, winner: winner.id) },
                as: &reporter)
            try await server.waitForTallies(upTo: pushed, token: token)
            var reports = [Counted]()
            for station in stations {
                let document = try await HTTP.get(server.url + "/v1/stations/\(station.code)", token: token).json()
                let counted = try #require(document["station"]?["results"]?.arrayValue?.first?["counted"])
                reports.append(
                    Counted(
                        station: station.code.rawValue, seat: Self.seat.rawValue,
                        votes: (counted["votes"]?.objectValue ?? [:]).mapValues { $0.integerValue ?? 0 },
                        rejected: counted["rejected"]?.integerValue ?? 0))
            }
            // The second station's official figures give the winner 30 votes fewer than the field counted, the
            // first's give another candidate 2 more; the third agrees.
            let first = stations[0].code.rawValue
            let second = stations[1].code.rawValue
            func importFile(_ change: [String: (String, Int64)]) async throws {
                let answer = try await HTTP.send(
                    .POST, server.url + "/v1/official?form=45", token: token,
                    body: Self.file(reports, change: change), contentType: "text/csv")
                #expect(answer.status == 201, "\(answer.text)")
                let positions = (try answer.json()["events"]?.arrayValue ?? []).compactMap {
                    $0["position"]?.integerValue
                }
                try await server.waitForTallies(upTo: positions.max() ?? 0, token: token)
            }
            try await importFile([second: (winner.id.rawValue, -30), first: (other.id.rawValue, 2)])
            let device = reporter.chain.device.rawValue
            let api = try await HTTP.get(server.url + "/v1/official", token: token).json()
            #expect(api["differences"]?.arrayValue?.map { $0["station"]?.stringValue } == [second, first])

            try await HeadlessChromium.with { browser in
                let page = try await BrowserPage.open(in: browser)
                try await page.openSignedIn(server.url, token: token, route: "#/official")
                try await page.waitUntil("the official link", "!document.getElementById('official-link').hidden")
                try await page.waitUntil(
                    "the two differences", "document.querySelectorAll('[data-official-row]').length === 2")
                #expect(
                    try await Self.rows(on: page) == [
                        Row(station: second, device: device, size: 30), Row(station: first, device: device, size: 2),
                    ])
                let text = try await page.text("[data-official-row='0']")
                #expect(text?.contains("\(winner.id)") == true && text?.contains("+30") == true, "\(text ?? "nil")")
                #expect(text?.contains("of the margin") == true, "\(text ?? "nil")")
                // The seat's own view lists the same.
                _ = try await page.evaluateJSON("location.hash = '#/official/\(Self.seat)'")
                try await page.waitUntil(
                    "the seat's view",
                    "document.body.dataset.route === 'official' && document.querySelectorAll('[data-official-row]').length === 2"
                )
                #expect(try await Self.rows(on: page).map(\.station) == [second, first])

                // Each row opens its station's page.
                _ = try await page.evaluateJSON("window.stillTheSameDocument = true")
                _ = try await page.evaluateJSON(
                    "document.querySelector('[data-official-row=\"0\"] a.station-link').click()")
                try await page.waitUntil(
                    "the station page",
                    "location.hash === '#/station/\(second)' && document.body.dataset.route === 'station'")
                try await page.waitUntil(
                    "the station's heading", "document.querySelector('h1')?.textContent.includes('\(second)')")

                // A corrected import: the second station now agrees, and the view follows without a reload.
                _ = try await page.evaluateJSON("location.hash = '#/official'")
                try await page.waitUntil("the view", "document.querySelectorAll('[data-official-row]').length === 2")
                try await importFile([first: (other.id.rawValue, 2)])
                try await page.waitUntil(
                    "one difference left", "document.querySelectorAll('[data-official-row]').length === 1")
                #expect(try await Self.rows(on: page) == [Row(station: first, device: device, size: 2)])
                let same: Bool = try await page.evaluate("window.stillTheSameDocument === true")
                #expect(same, "the page reloaded")

                // Readable on a phone: nothing wider than the screen.
                _ = try await page.call(
                    "Emulation.setDeviceMetricsOverride",
                    ["width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": true])
                try await page.waitUntil(
                    "the page to fit a phone", "document.documentElement.scrollWidth <= window.innerWidth + 1")
            }
        }
    }
}
