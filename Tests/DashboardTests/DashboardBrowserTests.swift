import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import NIOHTTP1
import Testing

/// The dashboard in a real browser: Debian's headless Chromium opens the page a server serves,
/// signs in with an editor's credentials put in the page's storage, shows Karachi's seats, and follows the live stream
/// while a reporter pushes a turnout count and a Form-45 through the API — without a reload.
///
/// How the browser is driven: `HeadlessChromium` starts `chromium --headless=new --no-sandbox
/// --remote-debugging-pipe` and speaks the DevTools protocol over two pipes (no port, no WebSocket);
/// `BrowserPage` evaluates JavaScript in the page (`Runtime.evaluate`) and polls for what the page
/// shows. Every protocol call and every wait has a timeout, and the browser's process group is
/// killed when the test ends, whatever happened. A test failure reports what the page showed, the
/// connection state, the console and any uncaught exception.
@Suite(.serialized, .tags(.browser), .disabled(if: TestScope.isFast, TestScope.skippedWhenFast))
struct DashboardBrowserTests {
    /// The seat whose stations are defined, and where the reporter works.
    static let seat = ConstituencyCode("NA-235")!

    /// Demo-like reference data: the Karachi demo's seats (all 22 NA, and the PS seats) and
    /// candidates, with the polling stations of one national seat only, so that loading and folding
    /// them stays quick.
    static func reference(demo: KarachiDemo) -> [EventDraft] {
        let kept = Set(demo.stations.filter { $0.national == seat }.map(\.code.rawValue))
        return demo.referenceDrafts().filter { $0.type != .stationDefined || kept.contains($0.subject) }
    }

    /// A Form-45 for `station` in which `winner` gets most votes, naming `photo` if given.
    static func form45(
        for station: PollingStation, candidates: [Candidate], winner: CandidateID, photo: PhotoReference? = nil
    ) -> EventDraft {
        let rejected = 12
        let totalCast = 412
        var votes: [CandidateID: Int] = [:]
        var remaining = totalCast - rejected
        let others = candidates.filter { $0.id != winner }
        for (index, candidate) in others.enumerated() {
            let count = min(remaining, 1 + index % 3)
            votes[candidate.id] = count
            remaining -= count
        }
        votes[winner] = remaining
        var result = Form45Result(
            constituency: station.national, registeredVoters: station.voters.total, votes: votes, rejected: rejected,
            totalCast: totalCast)
        result.photo = photo
        return EventDraft(
            payload: .resultReported(result), subject: station.code.rawValue,
            time: ObservedTime("2024-02-08T18:20:00+05:00")!)
    }

    static func quoted(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }

    @Test(.timeLimit(.minutes(10))) func theDashboardShowsTheSeatsAndFollowsPushesWithoutAReload() async throws {
        let demo = KarachiDemo()
        let station = try #require(demo.stations.filter { $0.national == Self.seat }.min { $0.code < $1.code })
        let candidates = demo.candidates.filter { $0.constituency == Self.seat }.sorted { $0.id < $1.id }
        let winner = try #require(candidates.last)
        let totalStations = demo.stations.count { $0.national == Self.seat }

        try await DashboardServer.with(reference: Self.reference(demo: demo), heartbeatSeconds: 2) { server in
            let token = try await server.editorToken()
            var reporter = try await server.reporter()
            // A registered witness cosigns the current tree head: the overview says the tallies are witnessed.
            let witness = SigningKey.generate()
            try await server.server.events.addWitness(name: "Observer group", key: witness.publicKey)
            let served = try await HTTP.get(server.url + "/v1/tree/head", token: token).json().objectValue
            let head = try #require(served.flatMap { TreeHead(signed: $0, by: server.server.publicKey) })
            let cosignature = Cosignature.signed(head, serverKey: server.server.publicKey, with: witness)
            let posted = try await HTTP.post(
                server.url + "/v1/tree/cosignatures", json: .object(cosignature), token: token)
            #expect(posted.status == 201)
            try await HeadlessChromium.with { browser in
                let page = try await BrowserPage.open(in: browser)
                // A token in the address no longer signs in: the page asks for a code.
                try await page.navigate("\(server.url)/#token=\(token)")
                try await page.waitUntil("the sign-in form", "document.getElementById('signin-code')")
                let taken: String? = try await page.evaluate("localStorage.getItem('fieldsync.dashboard.credentials')")
                #expect(taken == nil, "a token in the address was kept: \(taken ?? "")")

                // Credentials in the page's storage, as the sign-in form leaves them, sign in on the next load.
                let credentials = Self.quoted(#"{"token":"\#(token)","device":null,"name":"Newsroom","role":"editor"}"#)
                _ = try await page.evaluateJSON(
                    "localStorage.setItem('fieldsync.dashboard.credentials', \(credentials))")
                try await page.navigate("\(server.url)/?reloaded")
                try await page.waitUntil("the overview", "document.body.dataset.ready === 'true'")

                // All 22 national seats, the seat of the test among them with nothing reported.
                try await page.waitUntil(
                    "the 22 national seats", "document.querySelectorAll('tr[data-seat^=\"NA-\"]').length === 22")
                let witnessed = try await page.text("[data-region=witnessed]")
                #expect(witnessed?.contains("is at a head witnessed by 1 witness") == true, "\(witnessed ?? "nil")")
                let row = "tr[data-seat=\"\(Self.seat)\"]"
                let reportedBefore = try await page.text("\(row) [data-field=reported] span")
                #expect(reportedBefore == "0 / \(totalStations)")
                let leaderBefore = try await page.text("\(row) [data-field=leader]")
                #expect(leaderBefore?.contains("No station counted") == true, "\(leaderBefore ?? "nil")")

                // The demo data is synthetic: the page says so.
                try await page.waitUntil("the synthetic-data notice", "!document.getElementById('synthetic').hidden")

                // Connected to the live stream, showing its position.
                try await page.waitUntil("the live stream", "document.body.dataset.live === 'live'")
                let connection = try await page.text("#connection")
                #expect(
                    connection?.contains("Live") == true && connection?.contains("log position") == true,
                    "\(connection ?? "nil")")

                // A mark on this document: a reload would lose it.
                _ = try await page.evaluateJSON("window.stillTheSameDocument = true")

                // A reporter syncs a turnout count, two lower ones (two flags), and an incident, then a Form-45.
                let incident = "Polling agents of one party sent out of the booth at 14:10"
                let counts = [("12:00", 150), ("12:30", 140), ("13:00", 130)].map { at, votes in
                    let time = ObservedTime("2024-02-08T\(at):00+05:00")!
                    return EventDraft(
                        payload: .turnoutCounted(TurnoutCount(asOf: time, votesCast: votes)),
                        subject: station.code.rawValue, time: time)
                }
                try await server.push(
                    counts + [
                        EventDraft(
                            payload: .incidentObserved(
                                Incident(kind: .agentExpelled, severity: .high, description: incident)),
                            subject: station.code.rawValue, time: ObservedTime("2024-02-08T14:12:00+05:00")!)
                    ],
                    as: &reporter)
                let position = try await server.push(
                    [Self.form45(for: station, candidates: candidates, winner: winner.id)], as: &reporter)

                // The row changes in place: one station reported, the winner leads.
                try await page.waitUntil(
                    "the seat's reported count to change",
                    "document.querySelector('\(row) [data-field=reported] span')?.textContent.trim() === '1 / \(totalStations)'"
                )
                try await page.waitUntil(
                    "the seat's leader",
                    "document.querySelector('\(row) [data-field=leader]')?.textContent.includes(\(Self.quoted(winner.name)))"
                )
                // The incident reaches the city's incident feed, with its severity.
                // The overview reads a seat whose stations changed again at most every 30 seconds.
                try await page.waitUntil(
                    "the incident in the feed",
                    "document.querySelector('[data-region=incidents] li.incident[data-severity=high]')?.textContent.includes(\(Self.quoted(incident)))"
                )
                // On a laptop the seats table fits: no column (the flags last) hidden behind a scroll bar.
                let tableOverflow: Int = try await page.evaluate(
                    "(() => { const wrap = document.querySelector('table.seats').parentElement; return wrap.scrollWidth - wrap.clientWidth })()"
                )
                #expect(tableOverflow <= 0, "the seats table is \(tableOverflow) px wider than its place")
                let same: Bool = try await page.evaluate("window.stillTheSameDocument === true")
                #expect(same, "the page was reloaded")
                // The live stream brings the push's position too (its events come at most once a second;
                // a seat read may have shown the result first).
                try await page.waitUntil(
                    "the page to show the push's position", "Number(document.body.dataset.position) >= \(position)")

                // A shared link to the station: its tally with the result, and its events.
                _ = try await page.evaluateJSON("location.hash = '#/station/\(station.code)'")
                try await page.waitUntil(
                    "the station page",
                    "document.body.dataset.route === 'station' && document.querySelector('main h1')?.textContent.includes('\(station.code)')"
                )
                try await page.waitUntil(
                    "the station's result",
                    "document.querySelector('main')?.textContent.includes(\(Self.quoted(winner.name)))")
                #expect(try await page.evaluate("window.stillTheSameDocument === true", as: Bool.self))

                // A second reporter at the same station reports another winner: the station is disputed,
                // and the seat page shows it apart, with the range its votes could add.
                var second = try await server.reporter(name: "Second reporter")
                let runnerUp = try #require(candidates.first)
                try await server.push(
                    [Self.form45(for: station, candidates: candidates, winner: runnerUp.id)], as: &second)
                _ = try await page.evaluateJSON("location.hash = '#/\(Self.seat)'")
                try await page.waitUntil(
                    "the disputed station on the seat page",
                    "document.body.dataset.route === 'seat' && document.querySelector('[data-region=disputed]')?.textContent.includes('\(station.code)')"
                )
                let disputedColumn: Bool = try await page.evaluate(
                    "[...document.querySelectorAll('[data-region=candidates] th')].some((th) => th.textContent.includes('could add'))"
                )
                #expect(disputedColumn, "the candidates table does not show what the disputed station could add")
                // The station's row counts its flags by code, from its summary: the two lower counts are one badge.
                let badge = "tr[data-station=\"\(station.code)\"] [data-flag=turnout-decreased]"
                try await page.waitUntil("the station's flag badge", "document.querySelector('\(badge)')")
                let badges: Int = try await page.evaluate(
                    "document.querySelectorAll('tr[data-station=\"\(station.code)\"] [data-flag]').length")
                #expect(badges == 1)
                #expect(try await page.text(badge)?.contains("×2") == true)
                #expect(try await page.evaluate("window.stillTheSameDocument === true", as: Bool.self))
                // The row shows the station's status in both its seats, though the seat's summary carries only
                // this seat's result; its provincial seat's page, read with that seat's summaries, shows the same.
                let statuses =
                    "[...document.querySelectorAll('tr[data-station=\"\(station.code)\"] [data-field=national] .status, "
                    + "tr[data-station=\"\(station.code)\"] [data-field=provincial] .status')].map((s) => s.dataset.status).join(' ')"
                try await page.waitUntil("both statuses in the station's row", "\(statuses) === 'disputed unreported'")
                let provincial = try #require(station.provincial)
                _ = try await page.evaluateJSON("location.hash = '#/\(provincial)'")
                try await page.waitUntil(
                    "the station's row on its provincial seat's page",
                    "document.querySelector('main h1')?.textContent.includes('\(provincial)') && \(statuses) === 'disputed unreported'"
                )
                _ = try await page.evaluateJSON("location.hash = '#/\(Self.seat)'")
                try await page.waitUntil(
                    "the disputed station's range on the seat page again",
                    "document.querySelector('[data-region=disputed] .chip small')?.textContent.includes('cast')")

                // The commission's Form-47 for the seat, the winner with 700 votes: the seat page compares it, per
                // candidate, with the field's counted votes (none, the one station being disputed).
                let rows =
                    ["constituency,candidate,votes"]
                    + candidates.map { "\(Self.seat),\($0.id),\($0.id == winner.id ? 700 : 10)" }
                    + ["\(Self.seat),rejected,5", "\(Self.seat),total,\(700 + 10 * (candidates.count - 1) + 5)"]
                let imported = try await HTTP.send(
                    .POST, server.url + "/v1/official?form=47&source=https://www.ecp.gov.pk/results/form47.csv",
                    token: token, body: Array(rows.joined(separator: "\n").utf8), contentType: "text/csv")
                #expect(imported.status == 201, "\(imported.status) \(String(decoding: imported.body, as: UTF8.self))")
                let winnerRow = "[data-region=official] tr[data-official-row=\"\(winner.id)\"]"
                try await page.waitUntil(
                    "the official Form-47 on the seat page",
                    "document.querySelector('\(winnerRow) [data-field=form47]')?.textContent.trim() === '700'")
                let fieldDifference = try await page.text("\(winnerRow) [data-field=field-difference]")
                #expect(fieldDifference?.contains("700") == true, "\(fieldDifference ?? "nil")")
                let leaderText = try await page.text("[data-region=official] [data-field=official-leader]")
                #expect(leaderText == winner.name, "\(leaderText ?? "nil")")
                let importNote = try await page.text("[data-region=official] [data-official-import=\"47\"]")
                #expect(importNote?.contains("https://www.ecp.gov.pk/results/form47.csv") == true)
                // The seat's party chart puts the standing official figures beside the field's, every vote of them.
                let officialBars =
                    "[...document.querySelectorAll('[data-chart=seat-parties] rect.bar[data-series=official]')]"
                let officialVotes = 700 + 10 * (candidates.count - 1)
                try await page.waitUntil(
                    "the official series in the seat's party chart",
                    "\(officialBars).reduce((sum, bar) => sum + Number(bar.dataset.value), 0) === \(officialVotes)")

                // A phone-sized screen gets the same page without a horizontal scroll bar.
                _ = try await page.call(
                    "Emulation.setDeviceMetricsOverride",
                    ["width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true])
                _ = try await page.evaluateJSON("location.hash = '#/'")
                try await page.waitUntil("the overview again", "document.body.dataset.route === 'overview'")
                let overflow: Int = try await page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth")
                #expect(overflow <= 0, "the overview is \(overflow) px wider than a phone's screen")

                // A link with another token does not replace the saved sign-in.
                _ = try await page.evaluateJSON("location.hash = '#token=someone-elses-token'")
                try await Task.sleep(for: .milliseconds(300))
                let saved: Bool = try await page.evaluate(
                    "(localStorage.getItem('fieldsync.dashboard.credentials') ?? '').includes(\(Self.quoted(token)))")
                #expect(saved, "a link replaced the saved sign-in")
                _ = try await page.evaluateJSON("location.hash = '#/'")
                try await page.waitUntil("the overview again", "document.body.dataset.route === 'overview'")

                // For a person to look at: DASHBOARD_SCREENSHOTS=/some/folder swift test --filter DashboardTests
                if let folder = ProcessInfo.processInfo.environment["DASHBOARD_SCREENSHOTS"] {
                    try await page.screenshot(to: "\(folder)/overview-phone.png", wholePage: false)
                    _ = try await page.evaluateJSON("location.hash = '#/\(Self.seat)'")
                    try await page.waitUntil("the seat page", "document.body.dataset.route === 'seat'")
                    try await Task.sleep(for: .seconds(1))
                    try await page.screenshot(to: "\(folder)/seat-phone.png", wholePage: false)
                    _ = try await page.call(
                        "Emulation.setDeviceMetricsOverride",
                        ["width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false])
                    try await page.screenshot(to: "\(folder)/seat.png", wholePage: false)
                    _ = try await page.evaluateJSON("location.hash = '#/station/\(station.code)'")
                    try await page.waitUntil("the station page", "document.body.dataset.route === 'station'")
                    try await Task.sleep(for: .seconds(1))
                    try await page.screenshot(to: "\(folder)/station.png")
                    _ = try await page.evaluateJSON("location.hash = '#/'")
                    try await Task.sleep(for: .seconds(1))
                    try await page.screenshot(to: "\(folder)/overview.png", wholePage: false)
                }
                #expect(browser.exceptions.isEmpty, "the page threw: \(browser.exceptions)")
            }
        }
    }

    /// Without a token the page asks for an enrollment code; a wrong code is refused in words, a
    /// right one signs in.
    @Test(.timeLimit(.minutes(10))) func signingInWithAnEnrollmentCode() async throws {
        try await DashboardServer.with(reference: Self.reference(demo: KarachiDemo())) { server in
            let code = try await server.code(.editor, name: "Night desk")
            try await HeadlessChromium.with { browser in
                let page = try await BrowserPage.open(in: browser, width: 390, height: 844, mobile: true)
                try await page.navigate("\(server.url)/")
                try await page.waitUntil("the sign-in form", "document.getElementById('signin-code')")
                _ = try await page.evaluateJSON(
                    "(() => { document.getElementById('signin-code').value = 'not-a-code'; document.getElementById('signin-form').requestSubmit(); return true })()"
                )
                try await page.waitUntil(
                    "the refusal",
                    "document.querySelector('#signin-form [role=alert], #signin-form .error')?.textContent.trim().length > 0"
                )
                _ = try await page.evaluateJSON(
                    "(() => { document.getElementById('signin-code').value = \(Self.quoted(code)); document.getElementById('signin-form').requestSubmit(); return true })()"
                )
                try await page.waitUntil("the overview", "document.body.dataset.ready === 'true'")
                try await page.waitUntil(
                    "the account", "document.getElementById('account-name').textContent.includes('Night desk')")

                // Sign out: back to the form, credentials forgotten.
                _ = try await page.evaluateJSON("(document.getElementById('sign-out').click(), true)")
                try await page.waitUntil("the sign-in form again", "document.getElementById('signin-code')")
                let kept: String? = try await page.evaluate("localStorage.getItem('fieldsync.dashboard.credentials')")
                #expect(kept == nil)
                #expect(browser.exceptions.isEmpty, "the page threw: \(browser.exceptions)")
            }
        }
    }
}
