import Prometheus

/// The server's metrics, in its own Prometheus registry (so that several servers in one process,
/// as in tests, keep theirs apart), served at `/metrics` in the Prometheus text format.
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()

    let appended: Counter
    let duplicates: Counter
    let conflicts: Counter
    let invalid: Counter
    let gaps: Counter
    /// Conflicts answered but not recorded: their device had as many recorded as the server keeps.
    let conflictsNotRecorded: Counter
    /// Live streams open now.
    let liveStreams: Gauge
    let batchLatency: DurationHistogram
    /// How far the projector's checkpoint is behind the log's head, in events. Set by the projector;
    /// 0 until there is one.
    public let projectorLag: Gauge

    public init() {
        func events(_ name: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "fieldsync", metricName: name, unitName: "total", helpText: help)
        }
        appended = registry.makeCounter(descriptor: events("events_appended", "Events stored by pushes"))
        duplicates = registry.makeCounter(
            descriptor: events("events_duplicate", "Pushed events already stored with the same content"))
        conflicts = registry.makeCounter(
            descriptor: events("events_conflict", "Pushed events refused because they contradict stored ones"))
        invalid = registry.makeCounter(
            descriptor: events("events_invalid", "Pushed events refused as malformed, badly signed or invalid"))
        gaps = registry.makeCounter(
            descriptor: events("events_gap", "Pushed events refused because their device's previous one is missing"))
        conflictsNotRecorded = registry.makeCounter(
            descriptor: events(
                "conflicts_not_recorded",
                "Conflicting events answered as conflicts but not recorded: their device reached --conflicts-per-device"
            ))
        liveStreams = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "fieldsync", metricName: "live", unitName: "streams",
                helpText: "Live streams (GET /v1/live) open now"))
        liveStreams.set(Int64(0))
        batchLatency = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "fieldsync", metricName: "batch_duration", unitName: "seconds",
                helpText: "Time to check and store one pushed batch"),
            buckets: [
                .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
            ])
        projectorLag = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "fieldsync", metricName: "projector_lag", unitName: "events",
                helpText: "Events stored but not yet folded into the tallies"))
        projectorLag.set(Int64(0))
    }

    /// Counts one connection closed by a timeout (`header`, `body` or `idle`).
    func countTimeout(_ timeout: ConnectionPhase.Timeout) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "fieldsync", metricName: "connections_timed_out", unitName: "total",
                helpText: "Connections closed because a request's head, its body or the next request took too long"),
            labels: [("timeout", "\(timeout)")]
        ).increment()
    }

    /// Counts one HTTP request by method, route and status.
    func countRequest(method: String, route: String, status: Int) {
        increment(
            "http_requests", "HTTP requests answered, by method, route and status",
            labels: [("method", method), ("route", route), ("status", String(status))])
    }

    /// Counts one request refused by authentication, by the problem's kind (`unauthorized`,
    /// `token-expired`, `device-revoked`, `forbidden`).
    func countAuthenticationFailure(_ problem: String) {
        increment(
            "authentication_failures", "Requests refused for their credentials, by problem",
            labels: [("problem", problem)])
    }

    /// Counts one enrollment refused for its code, or throttled, by the problem's kind
    /// (`enrollment-code-unknown`, `-expired`, `-used`, `enrollment-throttled`).
    func countEnrollmentRefusal(_ problem: String) {
        increment(
            "enrollment_refusals", "Enrollments refused for their code or throttled, by problem",
            labels: [("problem", problem)])
    }

    /// Adds one to the counter `fieldsync_<name>_total` with these labels.
    private func increment(_ name: String, _ help: String, labels: [(String, String)]) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "fieldsync", metricName: name, unitName: "total", helpText: help),
            labels: labels
        ).increment()
    }

    /// The Prometheus text exposition.
    func exposition() -> [UInt8] {
        var buffer = [UInt8]()
        registry.emit(into: &buffer)
        return buffer
    }
}
