import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import NIOHTTP1
import Testing

/// The photo of the signed sheet on the station page, in a real browser: "photo pending" while the
/// event has arrived and the image has not; the image beside the figures once it arrives, without a
/// reload; larger on a click. An incident's photo the same way, beside the incident. The seat page
/// counts the station as "photo pending", then as with its photo.
@Suite(.serialized, .tags(.browser), .disabled(if: TestScope.isFast, TestScope.skippedWhenFast))
struct PhotoBrowserTests {
    /// A 1×1 PNG.
    static let png = Array(
        Data(
            base64Encoded:
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
        )!)
    /// Another 1×1 PNG (another colour), for the incident.
    static let incidentPNG = Array(
        Data(
            base64Encoded:
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg=="
        )!)

    @Test(.timeLimit(.minutes(10))) func aPhotoArrivingAfterItsEventAppearsBesideTheFigures() async throws {
        let demo = KarachiDemo()
        let seat = DashboardBrowserTests.seat
        let station = try #require(demo.stations.filter { $0.national == seat }.min { $0.code < $1.code })
        let candidates = demo.candidates.filter { $0.constituency == seat }.sorted { $0.id < $1.id }
        let photo = try PhotoReference(of: Self.png)
        let draft = DashboardBrowserTests.form45(
            for: station, candidates: candidates, winner: candidates[0].id, photo: photo)
        let incidentPhoto = try PhotoReference(of: Self.incidentPNG)
        let incident = EventDraft(
            payload: .incidentObserved(
                Incident(kind: .form45Refused, severity: .high, description: "Notice on the door", photo: incidentPhoto)
            ),
            subject: station.code.rawValue, time: ObservedTime("2024-02-08T18:25:00+05:00")!)

        try await DashboardServer.with(reference: DashboardBrowserTests.reference(demo: demo)) { server in
            let token = try await server.editorToken()
            var reporter = try await server.reporter()
            let position = try await server.push([draft, incident], as: &reporter)
            try await server.waitForTallies(upTo: position, token: token)
            try await HeadlessChromium.with { browser in
                let page = try await BrowserPage.open(in: browser)
                try await page.openSignedIn(server.url, token: token, route: "#/\(seat)")
                let pendingCount = "document.querySelector('[data-field=photos-pending]')?.textContent.trim()"
                let withCount = "document.querySelector('[data-field=photos-with]')?.textContent.trim()"
                try await page.waitUntil(
                    "the seat counting the station's photo as pending",
                    "\(pendingCount) === '1 photo pending' && \(withCount).startsWith('0 of 1')")
                _ = try await page.evaluateJSON("location.hash = '#/station/\(station.code)'")
                let figure = "[data-region=photos] [data-photo=\"\(photo.sha256.hex)\"]"
                try await page.waitUntil(
                    "the photo pending beside the figures",
                    "document.querySelector('\(figure)')?.dataset.state === 'pending'")
                #expect(try await page.text(figure)?.contains("photo pending") == true)
                let incidentFigure = "[data-region=incident-photo] [data-photo=\"\(incidentPhoto.sha256.hex)\"]"
                try await page.waitUntil(
                    "the incident's photo pending beside it",
                    "document.querySelector('\(incidentFigure)')?.dataset.state === 'pending'")
                _ = try await page.evaluateJSON("window.stillTheSameDocument = true")

                let upload = try await HTTP.send(
                    .PUT, server.url + "/v1/photos/\(photo.sha256.hex)", token: reporter.token, body: Self.png,
                    contentType: "image/png")
                #expect(upload.status == 201, "\(upload.text)")
                let incidentUpload = try await HTTP.send(
                    .PUT, server.url + "/v1/photos/\(incidentPhoto.sha256.hex)", token: reporter.token,
                    body: Self.incidentPNG, contentType: "image/png")
                #expect(incidentUpload.status == 201, "\(incidentUpload.text)")
                try await page.waitUntil(
                    "the photo once it arrived",
                    "document.querySelector('\(figure) img')?.naturalWidth === 1")
                try await page.waitUntil(
                    "the incident's photo once it arrived",
                    "document.querySelector('\(incidentFigure) img')?.naturalWidth === 1")
                #expect(try await page.evaluate("window.stillTheSameDocument === true", as: Bool.self))
                _ = try await page.evaluateJSON("location.hash = '#/\(seat)'")
                try await page.waitUntil(
                    "the seat counting the station with its photo",
                    "\(pendingCount) === '0 photo pending' && \(withCount).startsWith('1 of 1')")
                _ = try await page.evaluateJSON("location.hash = '#/station/\(station.code)'")
                try await page.waitUntil("the station page again", "document.querySelector('\(figure) img') !== null")
                _ = try await page.evaluateJSON("document.querySelector('\(figure) button').click()")
                try await page.waitUntil(
                    "the photo larger", "document.querySelector('\(figure)')?.classList.contains('enlarged')")
                #expect(browser.exceptions.isEmpty, "the page threw: \(browser.exceptions)")
            }
        }
    }
}
