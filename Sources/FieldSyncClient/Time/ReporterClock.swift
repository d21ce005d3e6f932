import FieldSyncModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The reporter's clock: the system's, unless `FIELDSYNC_NOW` sets it (an RFC 3339 time) for a
/// rehearsal of polling day or a test.
public enum ReporterClock {
    /// The environment variable that sets the clock.
    public static let variable = "FIELDSYNC_NOW"

    /// The system clock, to the microsecond.
    public static func system() -> Timestamp {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Timestamp(microseconds: Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1000)
    }

    /// Now, to the second: `FIELDSYNC_NOW` if set and valid, else the system clock.
    public static func now(environment: [String: String]) -> Timestamp {
        if let text = environment[variable], let time = Timestamp(rfc3339: text) { return time }
        let now = system()
        return Timestamp(seconds: now.seconds)
    }

    /// A stamp for file names, from the system clock: `20240208T084000Z`.
    public static func stamp(_ time: Timestamp = system()) -> String {
        String(time.rfc3339UTC.prefix(19).filter { $0 != "-" && $0 != ":" }) + "Z"
    }
}
