import FieldSyncModel
import Hummingbird

/// The answers of the server's limits: each says which limit was reached, which option sets it, and
/// when to try again (`Retry-After` and `retryAfter`, in whole seconds).
extension Problem {
    /// 429 `push-rate-limited`: the device sent more events than its rate allows; `wait` is how long until
    /// its bucket holds this batch.
    static func pushRateLimited(device: DeviceID, events: Int, rate: Double, burst: Int, wait: Duration) -> Problem {
        let seconds = Self.wholeSeconds(wait)
        return Problem(
            .pushRateLimited,
            "device \(device) sends more events than this server takes from one device (\(Self.number(rate)) a "
                + "second, bursts of \(burst)): this batch of \(events) fits in \(seconds) s; nothing of it was "
                + "stored",
            retryAfterSeconds: seconds)
    }

    /// 429 `too-many-live-streams`: the device has as many live streams open as one device may.
    static func tooManyLiveStreams(device: DeviceID, limit: Int) -> Problem {
        Problem(
            .tooManyLiveStreams,
            "device \(device) has \(limit) live stream\(limit == 1 ? "" : "s") open already, the most one device "
                + "may hold: close one (another tab or window) and connect again",
            retryAfterSeconds: 5)
    }

    /// 503 `live-streams-full`: the server holds as many live streams as it serves.
    static func liveStreamsFull(limit: Int) -> Problem {
        Problem(
            .liveStreamsFull,
            "the server holds \(limit) live streams, the most it serves at once; the tallies are readable without "
                + "one (GET /v1/tallies)",
            retryAfterSeconds: 30)
    }

    /// 503 `replays-busy`: every slot for tallies as of a past moment is taken.
    static func replaysBusy(limit: Int) -> Problem {
        Problem(
            .replaysBusy,
            "\(limit) tall\(limit == 1 ? "y" : "ies") as of a past moment \(limit == 1 ? "is" : "are") being "
                + "computed already, the most this server computes at once; the live tallies (no position or "
                + "asOf) are always available",
            retryAfterSeconds: 5)
    }

    /// 503 `exports-busy`: every slot for exports of the log is taken.
    static func exportsBusy(limit: Int) -> Problem {
        Problem(
            .exportsBusy,
            "\(limit) export\(limit == 1 ? " of the log is" : "s of the log are") being sent already, the most this "
                + "server sends at once; an interrupted export resumes with ?after=",
            retryAfterSeconds: 10)
    }

    /// 503 `photo-uploads-busy`: every slot for photo uploads is taken.
    static func photoUploadsBusy(limit: Int) -> Problem {
        Problem(
            .photoUploadsBusy,
            "\(limit) photo\(limit == 1 ? " is" : "s are") being uploaded already, the most this server takes at "
                + "once; the events are taken all the same, and the upload goes on from the bytes held",
            retryAfterSeconds: 10)
    }

    /// A wait in whole seconds, rounded up, at least 1.
    static func wholeSeconds(_ wait: Duration) -> Int64 {
        max(1, wait.components.seconds + (wait.components.attoseconds > 0 ? 1 : 0))
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int64(value)) : String(value)
    }
}
