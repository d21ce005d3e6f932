import Foundation

/// One tab of a ``HeadlessChromium``, attached with its own DevTools session: navigate, run
/// JavaScript in the page, wait for what the page shows, take a screenshot.
struct BrowserPage: Sendable {
    let browser: HeadlessChromium
    let session: String

    /// A new tab of `width` × `height` CSS pixels (a phone when `mobile`), with console messages,
    /// exceptions and the browser log reported to the browser.
    static func open(
        in browser: HeadlessChromium, width: Int = 1280, height: Int = 900, mobile: Bool = false
    )
        async throws -> BrowserPage
    {
        let created = try await browser.call("Target.createTarget", ["url": "about:blank"])
        guard let target = created["targetId"] as? String else { throw DashboardTestError("no target: \(created)") }
        let attached = try await browser.call("Target.attachToTarget", ["targetId": target, "flatten": true])
        guard let session = attached["sessionId"] as? String else {
            throw DashboardTestError("no session: \(attached)")
        }
        let page = BrowserPage(browser: browser, session: session)
        _ = try await page.call("Runtime.enable")
        _ = try await page.call("Page.enable")
        _ = try await page.call("Log.enable")
        _ = try await page.call(
            "Emulation.setDeviceMetricsOverride",
            ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile])
        return page
    }

    func call(
        _ method: String, _ parameters: [String: any Sendable] = [:], timeout: Duration = HeadlessChromium.patience
    )
        async throws -> [String: Any]
    {
        try await browser.call(method, parameters, session: session, timeout: timeout)
    }

    /// Loads `url`; returns once the page's document has loaded.
    /// Opens the dashboard at `server` signed in as an editor with `token`, as the sign-in form leaves it
    /// (the credentials in the page's storage), on `route` (`#/NA-248`, or "" for the overview).
    func openSignedIn(_ server: String, token: String, route: String = "") async throws {
        try await navigate(server + "/")
        let credentials = DashboardBrowserTests.quoted(
            #"{"token":"\#(token)","device":null,"name":"Newsroom","role":"editor"}"#)
        _ = try await evaluateJSON("localStorage.setItem('fieldsync.dashboard.credentials', \(credentials))")
        try await navigate("\(server)/?signed-in\(route)")
    }

    func navigate(_ url: String) async throws {
        // A mark on the old document: gone once the new one is there.
        _ = try await evaluateJSON("window.leavingThisDocument = true")
        let answer = try await call("Page.navigate", ["url": url])
        if let error = answer["errorText"] as? String { throw DashboardTestError("cannot load \(url): \(error)") }
        try await waitUntil("the page has loaded", "!window.leavingThisDocument && document.readyState === 'complete'")
    }

    /// Evaluates a JavaScript expression in the page (awaiting a promise) and returns its value as
    /// JSON text, so a test can decode exactly what it asked for.
    func evaluateJSON(_ expression: String) async throws -> Data {
        let answer = try await call(
            "Runtime.evaluate",
            [
                "expression": "(async () => JSON.stringify(await (async () => (\(expression)))()) ?? 'null')()",
                "awaitPromise": true, "returnByValue": true,
            ])
        if let details = answer["exceptionDetails"] as? [String: Any] {
            let exception = (details["exception"] as? [String: Any])?["description"] as? String
            throw DashboardTestError("the page's script failed: \(exception ?? details["text"] as? String ?? "?")")
        }
        let text = (answer["result"] as? [String: Any])?["value"] as? String ?? "null"
        return Data(text.utf8)
    }

    /// Evaluates an expression and decodes its value.
    func evaluate<T: Decodable>(_ expression: String, as type: T.Type = T.self) async throws -> T {
        try JSONDecoder().decode(T.self, from: try await evaluateJSON(expression))
    }

    /// The page's text content of the first element matching `selector`, or nil.
    func text(_ selector: String) async throws -> String? {
        let quoted = String(decoding: try JSONEncoder().encode(selector), as: UTF8.self)
        return try await evaluate("document.querySelector(\(quoted))?.textContent.replace(/\\s+/g, ' ').trim() ?? null")
    }

    /// Polls `expression` every 100 ms until it is truthy, and returns its JSON text; after
    /// `timeout` (only a guard against a hang), fails with what the page showed and logged.
    @discardableResult
    func waitUntil(_ what: String, timeout: Duration = .seconds(180), _ expression: String) async throws -> Data {
        let deadline = ContinuousClock.now + timeout
        var lastError: (any Error)?
        while ContinuousClock.now < deadline {
            do {
                let value = try await evaluateJSON("(\(expression)) || null")
                if value != Data("null".utf8) { return value }
            } catch {
                lastError = error
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let shown = (try? await text("main")) ?? "?"
        let state = (try? await text("#connection")) ?? "?"
        throw DashboardTestError(
            """
            timed out waiting for \(what) (\(expression))
            connection: \(state)
            page: \(shown.prefix(1500))
            console: \(browser.console.suffix(20).joined(separator: "\n"))
            exceptions: \(browser.exceptions)
            last error: \(lastError.map { "\($0)" } ?? "none")
            """)
    }

    /// Saves a PNG of the whole page (or of what the screen shows) to `path`.
    func screenshot(to path: String, wholePage: Bool = true) async throws {
        let answer = try await call("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": wholePage])
        guard let base64 = answer["data"] as? String, let data = Data(base64Encoded: base64) else {
            throw DashboardTestError("no screenshot")
        }
        try data.write(to: URL(fileURLWithPath: path))
    }
}
