import Foundation
import Testing

extension Tag {
    /// The campaign of injected faults: minutes of real processes killed and restarted.
    @Tag public static var faultCampaign: Self
    /// A real headless browser drives the dashboard.
    @Tag public static var browser: Self
}

/// Which tests a run takes. `Tools/test.sh --fast` sets `FIELDSYNC_TESTS=fast`: the suites tagged
/// ``Tag/faultCampaign`` or ``Tag/browser`` are then skipped, as the deployment checks and schemathesis
/// are by the script; the full run, in CI, takes everything.
public enum TestScope {
    /// Whether this is a developer's fast run.
    public static var isFast: Bool { ProcessInfo.processInfo.environment["FIELDSYNC_TESTS"] == "fast" }

    /// Why a slow suite is skipped in a fast run.
    public static let skippedWhenFast: Comment = "left out by Tools/test.sh --fast; the full run takes it"
}
