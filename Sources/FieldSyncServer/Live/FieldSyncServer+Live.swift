import FieldSyncModel
import FieldSyncStore
import HTTPTypes
import Hummingbird
import ServiceLifecycle

extension FieldSyncServer {
    /// `GET /v1/live` → server-sent events, for as long as the client stays:
    ///
    /// - `event: hello`, `id: <position>`, data `{position}`: where the stream starts;
    /// - `event: tallies`, `id: <position>`, data `{after, city, constituencies, districts, position, stations,
    ///   whole}` (``LiveChanges``): what the projector changed after `after` up to `position` — the station
    ///   codes (read a station with `GET /v1/stations/{code}`) and, of the seats, districts and city, the
    ///   members that changed (`whole` false), or the documents whole for a stream resuming from a position
    ///   inside the event's range (`whole` true);
    /// - `event: reload`, `id: <position>`, data `{position}`: what changed since the client's `Last-Event-ID`
    ///   is no longer kept (or was too large to send): read the tallies again (`GET /v1/tallies`); the
    ///   events after this one follow from `position`;
    /// - `event: closed`, data `{reason, detail}`, then the end of the stream: the server ended it, because
    ///   the device's credentials no longer work (`reason` `credentials`: revoked, or its token expired);
    ///   connecting again is refused;
    /// - a `: heartbeat` comment every 15 seconds, so proxies and clients know the stream is alive.
    ///
    /// A client that reconnects with `Last-Event-ID` (or `?after=N`) gets everything changed since that
    /// position first: nothing is missed across a dropped connection. Every stream is served from the
    /// ``LiveFeed``'s memory, never by a query of its own. A client that accepts gzip gets the stream
    /// gzip-encoded, each tally event compressed once for all (``LiveEncoding``). A device may hold
    /// ``ServerConfiguration/maximumLiveStreamsPerDevice`` streams, the server ``ServerConfiguration/maximumLiveStreams``.
    func liveTallies(_ request: Request, caller: Caller) async throws -> Response {
        let resumeFrom =
            try Self.integerParameter(request.headers[Self.lastEventID], name: "Last-Event-ID", minimum: 0)
            ?? Self.integerParameter(request.uri.queryParameters.get("after"), name: "after", minimum: 0)
        let stream = try live.streams.open(device: caller.device)
        let start = resumeFrom ?? live.position
        let live = self.live
        let chosen = LiveEncoding(acceptEncoding: request.headers[.acceptEncoding])
        var headers: HTTPFields = [
            .contentType: "text/event-stream", .cacheControl: "no-cache", Self.accelBuffering: "no",
        ]
        if let coding = chosen.contentEncoding { headers[.contentEncoding] = coding }
        let body = ResponseBody { writer in
            var cursor = start
            var encoding = chosen
            if let header = encoding.start { try await writer.write(header) }
            let hello = Self.serverSentEvent("hello", id: cursor, data: ["position": .integer(cursor)], retry: 3000)
            try await writer.write(encoding.encode(LiveEvent(hello, compress: false)))
            // The stream ends when the server shuts down: it must not hold up a graceful shutdown.
            try await withGracefulShutdownHandler {
                cursor = try await Self.send(live.catchUp(after: cursor), to: &writer, encoding: &encoding) ?? cursor
                for await signal in stream.signals {
                    switch signal {
                    case .heartbeat:
                        try await writer.write(encoding.encode(.heartbeat))
                    case .tallies:
                        cursor =
                            try await Self.send(live.catchUp(after: cursor), to: &writer, encoding: &encoding) ?? cursor
                    }
                }
            } onGracefulShutdown: {
                stream.finish()
            }
            if let reason = stream.endedBecause {
                let closed = Self.serverSentEvent("closed", data: ["reason": "credentials", "detail": .string(reason)])
                try await writer.write(encoding.encode(LiveEvent(closed, compress: false)))
            }
            if let end = encoding.end { try await writer.write(end) }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// Writes what the feed says to send; returns the new cursor, nil when there was nothing.
    private static func send(
        _ catchUp: LiveHistory.CatchUp, to writer: inout some ResponseBodyWriter, encoding: inout LiveEncoding
    ) async throws -> Int64? {
        switch catchUp {
        case .upToDate:
            return nil
        case .events(let events, let position):
            for event in events { try await writer.write(encoding.encode(event)) }
            return position
        case .reload(let position):
            let reload = serverSentEvent("reload", id: position, data: ["position": .integer(position)])
            try await writer.write(encoding.encode(LiveEvent(reload, compress: false)))
            return position
        }
    }

    static let lastEventID = HTTPField.Name("Last-Event-ID")!
    /// Tells nginx not to buffer the stream.
    static let accelBuffering = HTTPField.Name("X-Accel-Buffering")!

    /// One server-sent event: its name, id (none for an event that does not move the stream's position)
    /// and data (canonical JSON on one line).
    static func serverSentEvent(_ name: String, id: Int64? = nil, data: JSONValue, retry: Int? = nil) -> ByteBuffer {
        serverSentEvent(name, id: id, data: .value(data), retry: retry)
    }

    /// One server-sent event whose data holds stored documents, copied as they are (canonical JSON has no
    /// line break).
    static func serverSentEvent(
        _ name: String, id: Int64? = nil, data: DocumentAnswer, retry: Int? = nil
    ) -> ByteBuffer {
        var text = retry.map { "retry: \($0)\n" } ?? ""
        text += "event: \(name)\n" + (id.map { "id: \($0)\n" } ?? "") + "data: "
        var bytes = Array(text.utf8)
        data.write(into: &bytes)
        bytes += Array("\n\n".utf8)
        return ByteBuffer(bytes: bytes)
    }
}
