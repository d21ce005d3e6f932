import FieldSyncModel
import FieldSyncServer
import FieldSyncTestSupport
import Foundation
import Testing

/// Editors' review in a real browser: a reporter assigned to another station sends a Form-45, the
/// dashboard shows it held (not counted) on the review page, an editor signed in with an enrollment
/// code accepts it with a reason through the page's form, and the station's result counts without a
/// reload; the editor then verifies the result and sees the verification outgrown by a new report.
/// The refusals are shown where the editor typed: a reason left out (caught before anything is sent)
/// and a verification the server answers 400. Of a disputed result, the editor rejects the wrong report
/// and the station counts again.
///
/// The browser is driven as in ``DashboardBrowserTests``; keys are pressed through the DevTools
/// protocol (`Input.dispatchKeyEvent`, `Input.insertText`) so that the forms are used as a keyboard does.
@Suite(.serialized, .tags(.browser), .disabled(if: TestScope.isFast, TestScope.skippedWhenFast))
struct ReviewBrowserTests {
    static let quoted = DashboardBrowserTests.quoted

    /// Signs the page in through its form with a one-time enrollment code.
    static func signIn(_ page: BrowserPage, url: String, code: String) async throws {
        try await page.navigate("\(url)/")
        try await page.waitUntil("the sign-in form", "document.getElementById('signin-code')")
        _ = try await page.evaluateJSON(
            "(() => { document.getElementById('signin-code').value = \(quoted(code)); document.getElementById('signin-form').requestSubmit(); return true })()"
        )
        try await page.waitUntil("the overview", "document.body.dataset.ready === 'true'")
    }

    /// Counts the page's POST requests from now on (`window.posts`).
    static func countPosts(_ page: BrowserPage) async throws {
        _ = try await page.evaluateJSON(
            """
            (() => { window.posts = 0; const send = window.fetch;
              window.fetch = (url, options) => { if (options?.method === 'POST') window.posts += 1; return send(url, options) };
              return true })()
            """)
    }

    /// Opens a decision's form from the keyboard (its button focused, Enter): the focus moves to the reason.
    static func openForm(_ page: BrowserPage, _ key: String) async throws {
        try await page.focus("open-\(key)")
        try await page.press(.enter)
        try await page.waitUntil("the form's reason", "document.activeElement?.id === 'reason-\(key)'")
    }

    /// Opens the seat's page and waits until its summary's `field` reads `text`.
    static func seatSummary(
        _ page: BrowserPage, _ seat: ConstituencyCode, _ field: String, is text: String
    ) async throws {
        _ = try await page.evaluateJSON("location.hash = '#/\(seat)'")
        try await page.waitUntil(
            "the seat's \(field) stations",
            "document.querySelector('[data-region=seat-summary] [data-field=\(field)]')?.textContent.trim() === '\(text)'"
        )
    }

    /// For a person to look at: DASHBOARD_SCREENSHOTS=/some/folder swift test --filter ReviewBrowserTests
    static func screenshot(_ page: BrowserPage, _ name: String) async throws {
        guard let folder = ProcessInfo.processInfo.environment["DASHBOARD_SCREENSHOTS"] else { return }
        try await page.screenshot(to: "\(folder)/\(name).png")
    }

    @Test(.timeLimit(.minutes(10))) func anEditorAcceptsAHeldReportThenVerifiesTheResult() async throws {
        let demo = KarachiDemo()
        let seat = DashboardBrowserTests.seat
        let stations = demo.stations.filter { $0.national == seat }.sorted { $0.code < $1.code }
        let station = try #require(stations.first)
        let covered = try #require(stations.dropFirst().first)
        let candidates = demo.candidates.filter { $0.constituency == seat }.sorted { $0.id < $1.id }
        let winner = try #require(candidates.last)
        let form45 = DashboardBrowserTests.form45(for: station, candidates: candidates, winner: winner.id)
        let code = station.code.rawValue

        try await DashboardServer.with(reference: DashboardBrowserTests.reference(demo: demo), heartbeatSeconds: 2) {
            server in
            // A reporter assigned to another station of the seat reports a Form-45 here: stored, held.
            var elsewhere = try await server.reporter(
                name: "Reporter of \(covered.code)", assignment: CodeAssignment(stations: [covered.code]))
            try await server.push([form45], as: &elsewhere)
            let held = elsewhere.chain.device.rawValue
            let editorCode = try await server.code(.editor, name: "Review desk")

            try await HeadlessChromium.with { browser in
                let page = try await BrowserPage.open(in: browser)
                try await Self.signIn(page, url: server.url, code: editorCode)
                _ = try await page.evaluateJSON("window.stillTheSameDocument = true")

                // The overview: the seat counts no station, and has one with a held report.
                let row = "tr[data-seat=\"\(seat)\"]"
                try await page.waitUntil(
                    "the seat's held station",
                    "document.querySelector('\(row) [data-field=held]')?.textContent.trim() === '1'")
                #expect(try await page.text("\(row) [data-field=counted]")?.hasPrefix("0 ") == true)
                // On a laptop the seats table, with its held column, fits.
                let tableOverflow: Int = try await page.evaluate(
                    "(() => { const wrap = document.querySelector('table.seats').parentElement; return wrap.scrollWidth - wrap.clientWidth })()"
                )
                #expect(tableOverflow <= 0, "the seats table is \(tableOverflow) px wider than its place")
                try await Self.screenshot(page, "overview")

                // The header links to the review page with the number of stations to review.
                try await page.waitUntil(
                    "the review link's count", "document.querySelector('#review-link .count')?.textContent === '1'")
                _ = try await page.evaluateJSON("(document.getElementById('review-link').click(), true)")
                try await page.waitUntil("the review page", "document.body.dataset.route === 'review'")

                // The held report: its device, why it is held, its figures beside what counts (nothing yet).
                let item =
                    "[data-region=review-held] .held-item[data-station=\"\(code)\"][data-held-device=\"\(held)\"]"
                try await page.waitUntil("the held report", "document.querySelector('\(item)')")
                let shown = try await page.text(item) ?? ""
                #expect(shown.contains("Not counted — waiting for an editor"), "\(shown)")
                #expect(shown.contains("1 event held"), "\(shown)")
                #expect(
                    shown.contains(winner.name) && shown.contains("Total cast 412"),
                    "the held figures are not shown: \(shown)")
                #expect(shown.contains("accepting adds this station's figures to \(seat)"), "\(shown)")

                try await Self.screenshot(page, "review")

                // Readable on a phone: no horizontal scroll bar.
                _ = try await page.call(
                    "Emulation.setDeviceMetricsOverride",
                    ["width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true])
                let overflow: Int = try await page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth")
                #expect(overflow <= 0, "the review page is \(overflow) px wider than a phone's screen")
                try await Self.screenshot(page, "review-phone")
                _ = try await page.call(
                    "Emulation.setDeviceMetricsOverride",
                    ["width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false])

                // Escape closes a form and gives the focus back to its button.
                let reject = "rejected-\(code)-\(held)"
                try await Self.openForm(page, reject)
                try await page.press(.escape)
                try await page.waitUntil(
                    "the reject form closed",
                    "!document.getElementById('form-\(reject)') && document.activeElement?.id === 'open-\(reject)'")

                // Accept, by keyboard. Without a reason the page refuses before sending anything.
                try await Self.countPosts(page)
                let accept = "accepted-\(code)-\(held)"
                try await Self.openForm(page, accept)
                try await page.press(.tab)
                try await page.waitUntil("the submit button", "document.activeElement?.id === 'submit-\(accept)'")
                try await page.press(.enter)
                try await page.waitUntil(
                    "the missing reason",
                    "document.querySelector('#problem-\(accept)')?.textContent.includes('Give the reason first')")
                #expect(
                    try await page.evaluate("window.posts", as: Int.self) == 0, "a decision without a reason was sent")
                #expect(
                    try await page.evaluate(
                        "document.getElementById('reason-\(accept)').getAttribute('aria-invalid')", as: String.self)
                        == "true")
                #expect(try await page.evaluate("document.activeElement?.id", as: String.self) == "reason-\(accept)")
                try await Self.screenshot(page, "review-reason-missing")

                let reason = "The desk moved this reporter to \(code) at 15:00"
                try await page.insertText(reason)
                try await page.press(.tab)
                try await page.press(.enter)

                // Recorded: the page says so and follows the station into the count, without a reload.
                let note = "[data-region=decisions-made] .decision-note"
                try await page.waitUntil(
                    "the decision's note", "document.querySelector('\(note)')?.textContent.includes('Accepted')")
                #expect(try await page.evaluate("window.posts", as: Int.self) == 1)
                try await page.waitUntil(
                    "the station's result counted",
                    "document.querySelector('\(note) .now-seat[data-seat=\"\(seat)\"] .status[data-status=reported]')")
                try await page.waitUntil(
                    "the seat's counted stations",
                    "document.querySelector('\(note) .now-seat[data-seat=\"\(seat)\"] [data-field=seat-counted]')?.textContent.startsWith('1 of')"
                )
                try await page.waitUntil("the held report gone", "!document.querySelector('\(item)')")
                try await page.waitUntil(
                    "the review link's count to drop",
                    "document.querySelector('#review-link .count')?.textContent === '0'")
                try await Self.screenshot(page, "review-accepted")

                // The seat page counts the station.
                try await Self.seatSummary(page, seat, "counted", is: "1 counted")

                // The station page: its result, reported by the accepted device; verify it as shown.
                _ = try await page.evaluateJSON("location.hash = '#/station/\(code)'")
                let result = "section[data-result=\"\(seat)\"]"
                try await page.waitUntil(
                    "the station's reported result",
                    "document.body.dataset.route === 'station' && document.querySelector('\(result) .status[data-status=reported]')"
                )
                #expect(try await page.evaluate("!document.querySelector('[data-region=held]')", as: Bool.self))
                let verify = "verified-\(code)-\(seat)"
                try await Self.openForm(page, verify)
                try await page.insertText("Checked against the photo of the signed sheet")
                try await page.press(.tab)
                try await page.press(.enter)
                try await page.waitUntil(
                    "the verified result",
                    "document.querySelector('\(result) .status[data-status=verified]') && document.querySelector('\(result) .verified-box')"
                )

                // A second reporter, assigned to the seat, sends the same figures: the verification no longer
                // matches the reports; the page flags it and offers to verify again.
                var second = try await server.reporter(name: "Second reporter")
                try await server.push([form45], as: &second)
                try await page.waitUntil(
                    "the outdated verification",
                    "document.querySelector('[data-flag=verification-outdated]') && document.querySelector('\(result) .status[data-status=confirmed]')"
                )
                let again = try await page.text("#open-\(verify)")
                #expect(again == "Verify \(seat) again")

                // A verification the server refuses (naming a report it does not hold at this station, as a page
                // showing another log's events would): the problem is shown by the form, the reason kept.
                try await Self.openForm(page, verify)
                let secondReason = "Both sheets checked against the photo"
                try await page.insertText(secondReason)
                let unknown = UUID().uuidString.lowercased()
                _ = try await page.evaluateJSON(
                    """
                    (() => { const form = document.getElementById('form-\(verify)');
                      form.dataset.events = \(Self.quoted(unknown)); form.requestSubmit(); return true })()
                    """)
                try await page.waitUntil(
                    "the server's refusal",
                    "document.querySelector('#problem-\(verify)')?.textContent.includes('events[0]')")
                let problem = try await page.text("#problem-\(verify)") ?? ""
                #expect(problem.contains("400") && problem.contains(unknown), "\(problem)")
                #expect(
                    try await page.evaluate("document.getElementById('reason-\(verify)').value", as: String.self)
                        == secondReason)
                #expect(
                    try await page.evaluate(
                        "document.querySelector('\(result) .status')?.dataset.status", as: String.self) == "confirmed")
                try await Self.screenshot(page, "station-refused")

                // Sent again as the page shows it: verified.
                _ = try await page.evaluateJSON("(document.getElementById('form-\(verify)').requestSubmit(), true)")
                try await page.waitUntil(
                    "the result verified again",
                    "document.querySelector('\(result) .status[data-status=verified]') && !document.querySelector('[data-flag=verification-outdated]')"
                )
                try await Self.seatSummary(page, seat, "verified", is: "1 verified")

                #expect(
                    try await page.evaluate("window.stillTheSameDocument === true", as: Bool.self),
                    "the page was reloaded")
                #expect(browser.exceptions.isEmpty, "the page threw: \(browser.exceptions)")
            }
        }
    }

    @Test(.timeLimit(.minutes(10))) func anEditorRejectsTheWrongReportOfADisputedResult() async throws {
        let demo = KarachiDemo()
        let seat = DashboardBrowserTests.seat
        let station = try #require(demo.stations.filter { $0.national == seat }.min { $0.code < $1.code })
        let candidates = demo.candidates.filter { $0.constituency == seat }.sorted { $0.id < $1.id }
        let winner = try #require(candidates.last)
        let runnerUp = try #require(candidates.first)
        let code = station.code.rawValue

        try await DashboardServer.with(reference: DashboardBrowserTests.reference(demo: demo), heartbeatSeconds: 2) {
            server in
            // Two reporters of the seat disagree: the station is disputed and left out of the count.
            var honest = try await server.reporter(name: "Honest reporter")
            var wrong = try await server.reporter(name: "Wrong reporter")
            try await server.push(
                [DashboardBrowserTests.form45(for: station, candidates: candidates, winner: winner.id)], as: &honest)
            try await server.push(
                [DashboardBrowserTests.form45(for: station, candidates: candidates, winner: runnerUp.id)], as: &wrong)
            let rejected = wrong.chain.device.rawValue
            let editorCode = try await server.code(.editor, name: "Review desk")

            try await HeadlessChromium.with { browser in
                let page = try await BrowserPage.open(in: browser)
                try await Self.signIn(page, url: server.url, code: editorCode)
                _ = try await page.evaluateJSON("location.hash = '#/review'")

                // The disputed result: each device's figures, the cells that differ marked.
                let item =
                    "[data-region=review-disputed] .disputed-item[data-station=\"\(code)\"][data-seat=\"\(seat)\"]"
                try await page.waitUntil("the disputed result", "document.querySelector('\(item)')")
                let differing: Int = try await page.evaluate("document.querySelectorAll('\(item) tr.differs').length")
                #expect(differing >= 2, "the rows that differ are not marked (\(differing))")

                // Reject the wrong device's report, with the reason.
                let reject = "rejected-\(code)-\(rejected)"
                try await Self.openForm(page, reject)
                let reason = "Its figures do not match the photo of the signed sheet"
                try await page.insertText(reason)
                try await page.press(.tab)
                try await page.press(.enter)

                // The station counts again, on the honest report alone; the rejected one is held, and says why.
                try await page.waitUntil(
                    "the station counted",
                    "document.querySelector('[data-region=decisions-made] .now-seat[data-seat=\"\(seat)\"] .status[data-status=reported]')"
                )
                try await page.waitUntil("the dispute gone", "!document.querySelector('\(item)')")
                let held = "[data-region=review-held] .held-item[data-station=\"\(code)\"][data-reason=rejected]"
                try await page.waitUntil("the rejected report held", "document.querySelector('\(held)')")
                let shown = try await page.text(held) ?? ""
                #expect(shown.contains("Rejected by an editor") && shown.contains(reason), "\(shown)")
                #expect(shown.contains("Accept after all"), "\(shown)")

                // The station page shows it in its held panel, not counted.
                _ = try await page.evaluateJSON("location.hash = '#/station/\(code)'")
                try await page.waitUntil(
                    "the station's held panel",
                    "document.querySelector('[data-region=held] .held-item[data-reason=rejected][data-held-device=\"\(rejected)\"]')"
                )
                try await page.waitUntil(
                    "the station's reported result",
                    "document.querySelector('section[data-result=\"\(seat)\"] .status[data-status=reported]')")
                try await Self.screenshot(page, "station-rejected")
                #expect(browser.exceptions.isEmpty, "the page threw: \(browser.exceptions)")
            }
        }
    }
}

/// Keys pressed as a keyboard does, through the DevTools protocol.
enum Key {
    case enter, tab, escape

    var parameters: [String: any Sendable] {
        switch self {
        case .enter: ["key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"]
        case .tab: ["key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9]
        case .escape: ["key": "Escape", "code": "Escape", "windowsVirtualKeyCode": 27]
        }
    }
}

extension BrowserPage {
    func press(_ key: Key) async throws {
        var down = key.parameters
        down["type"] = key == .enter ? "keyDown" : "rawKeyDown"
        _ = try await call("Input.dispatchKeyEvent", down)
        var up = key.parameters
        up["type"] = "keyUp"
        up["text"] = nil
        _ = try await call("Input.dispatchKeyEvent", up)
    }

    /// Types `text` into the focused element.
    func insertText(_ text: String) async throws {
        _ = try await call("Input.insertText", ["text": text])
    }

    /// Focuses the element with the id `id`.
    func focus(_ id: String) async throws {
        try await waitUntil("#\(id)", "document.getElementById('\(id)')")
        _ = try await evaluateJSON("(document.getElementById('\(id)').focus(), document.activeElement?.id)")
    }
}
