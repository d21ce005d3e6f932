import FieldSyncModel
import FieldSyncStore
import FieldSyncTally
import HTTPTypes
import Hummingbird
import ServiceLifecycle

extension FieldSyncServer {
    /// `GET /v1/live` → server-sent events, for as long as the client stays:
    ///
    /// - `event: hello`, `id: <position>`, data `{position}`: where the stream starts;
    /// - `event: tallies`, `id: <position>`, data `{position, stations: [code], constituencies: {code: tally},
    ///   districts: {name: tally}, city: tally|null}`: what the projector changed since the last event — the
    ///   station codes (read a station with `GET /v1/stations/{code}`) and the changed seats, districts and city
    ///   in full;
    /// - a `: heartbeat` comment every 15 seconds, so proxies and clients know the stream is alive.
    ///
    /// A client that reconnects with `Last-Event-ID` (or `?after=N`) gets everything changed since that
    /// position first: nothing is missed across a dropped connection.
    func liveTallies(_ request: Request) async throws -> Response {
        let tallies = TallyStore(pool: pool)
        let resumeFrom =
            try Self.integerParameter(request.headers[Self.lastEventID], name: "Last-Event-ID", minimum: 0)
            ?? Self.integerParameter(request.uri.queryParameters.get("after"), name: "after", minimum: 0)
        let start: Int64
        if let resumeFrom { start = resumeFrom } else { start = try await tallies.snapshot().position }
        let (signals, endSignals) = live.signals()
        let body = ResponseBody { writer in
            var cursor = start
            try await writer.write(
                Self.serverSentEvent("hello", id: cursor, data: ["position": .integer(cursor)], retry: 3000))
            if resumeFrom != nil {
                cursor = try await Self.sendChanges(after: cursor, from: tallies, to: &writer)
            }
            // The stream ends when the server shuts down: it must not hold up a graceful shutdown.
            try await withGracefulShutdownHandler {
                for await signal in signals {
                    switch signal {
                    case .heartbeat:
                        try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                    case .tallies(let position) where position > cursor:
                        cursor = try await Self.sendChanges(after: cursor, from: tallies, to: &writer)
                    case .tallies:
                        continue
                    }
                }
            } onGracefulShutdown: {
                endSignals()
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", Self.accelBuffering: "no"],
            body: body)
    }

    /// Writes one `tallies` event with what changed after `cursor`, if anything did; returns the new cursor.
    private static func sendChanges(
        after cursor: Int64, from tallies: TallyStore, to writer: inout some ResponseBodyWriter
    ) async throws -> Int64 {
        let changes = try await tallies.changes(after: cursor)
        guard let position = changes.map(\.position).max() else { return cursor }
        let areas = changes.filter { $0.kind != .station }
        let snapshot = try await tallies.snapshot(keys: areas.map { ($0.kind, $0.key) })
        let data: JSONValue = [
            "position": .integer(position),
            "stations": .array(changes.filter { $0.kind == .station }.map { .string($0.key) }),
            "constituencies": .object(try keyed(snapshot.documents(.constituency))),
            "districts": .object(try keyed(snapshot.documents(.district))),
            "city": try snapshot.document(.city, "city").map(parse) ?? .null,
        ]
        try await writer.write(serverSentEvent("tallies", id: position, data: data))
        return position
    }

    static let lastEventID = HTTPField.Name("Last-Event-ID")!
    /// Tells nginx not to buffer the stream.
    static let accelBuffering = HTTPField.Name("X-Accel-Buffering")!

    /// One server-sent event: its name, id and data (canonical JSON on one line).
    static func serverSentEvent(_ name: String, id: Int64, data: JSONValue, retry: Int? = nil) -> ByteBuffer {
        var text = retry.map { "retry: \($0)\n" } ?? ""
        text += "event: \(name)\nid: \(id)\ndata: \(CanonicalJSON.string(data))\n\n"
        return ByteBuffer(string: text)
    }
}
