import NIOCore
import Testing

@testable import FieldSyncServer

@Suite struct LiveHistoryTests {
    static func entry(_ after: Int64, _ position: Int64, bytes: Int = 10) -> LiveHistory.Entry {
        LiveHistory.Entry(
            after: after, position: position,
            event: LiveEvent(ByteBuffer(string: String(repeating: "x", count: bytes)), compress: false))
    }

    @Test func aStreamGetsTheEventsAfterItsPositionFromMemory() {
        var history = LiveHistory(position: 10)
        #expect(history.catchUp(after: 10) == .upToDate)
        #expect(history.catchUp(after: 9) == .reload(at: 10))
        let events = [Self.entry(10, 12), Self.entry(12, 15), Self.entry(15, 20)]
        for event in events { history.append(event) }
        #expect(history.position == 20)
        #expect(history.catchUp(after: 10) == .events(events.map(\.event), through: 20))
        #expect(history.catchUp(after: 12) == .events(events.suffix(2).map(\.event), through: 20))
        // A position inside an event's range gets that whole event: a superset of what changed.
        #expect(history.catchUp(after: 13) == .events(events.suffix(2).map(\.event), through: 20))
        #expect(history.catchUp(after: 20) == .upToDate)
        // Ahead of the feed (it has not read the newest change yet): nothing until it has.
        #expect(history.catchUp(after: 25) == .upToDate)
        #expect(history.catchUp(after: 3) == .reload(at: 20))
    }

    /// A stream whose position falls inside an event's range gets that event's whole form first (its
    /// documents are as of neither end of the range), then the others' changes.
    @Test func aStreamInsideAnEventsRangeGetsItWhole() {
        func event(_ text: String) -> LiveEvent { LiveEvent(ByteBuffer(string: text), compress: false) }
        var history = LiveHistory(position: 10)
        let entries = [
            LiveHistory.Entry(after: 10, position: 12, event: event("a"), whole: event("A")),
            LiveHistory.Entry(after: 12, position: 15, event: event("b"), whole: event("B")),
        ]
        for entry in entries { history.append(entry) }
        #expect(history.catchUp(after: 10) == .events([event("a"), event("b")], through: 15))
        #expect(history.catchUp(after: 11) == .events([event("A"), event("b")], through: 15))
        #expect(history.catchUp(after: 12) == .events([event("b")], through: 15))
        #expect(history.catchUp(after: 14) == .events([event("B")], through: 15))
    }

    @Test func theOldestEventsGoBeyondTheBoundsAndThoseBehindThemReload() {
        var history = LiveHistory(position: 0, maximumEvents: 3, maximumBytes: 1000)
        for position in 1...5 { history.append(Self.entry(Int64(position - 1), Int64(position))) }
        #expect(history.floor == 2)
        #expect(history.catchUp(after: 1) == .reload(at: 5))
        #expect(
            history.catchUp(after: 2)
                == .events([Self.entry(2, 3).event, Self.entry(3, 4).event, Self.entry(4, 5).event], through: 5))

        // Each event counts the memory its text and its compressed copy hold (here stored: the text and 5
        // bytes): their buffers, whose capacity is a power of two, 32 bytes for the first ones.
        let first = Self.entry(0, 1).event
        #expect(Self.entry(0, 1).bytes == first.plain.capacity + first.gzip.bytes.capacity)
        #expect(Self.entry(0, 1).bytes == 32)
        #expect(Self.entry(5, 6, bytes: 200).bytes == 512)
        history.append(Self.entry(5, 6, bytes: 200))
        #expect(history.floor == 3)
        // 32 + 512 + 512 is over 1000 bytes (their text alone, 25 + 405 + 405, is not): the oldest go until
        // the rest fits.
        history.append(Self.entry(6, 7, bytes: 200))
        #expect(history.floor == 6)
        #expect(history.catchUp(after: 6) == .events([Self.entry(6, 7, bytes: 200).event], through: 7))
        // The newest event is kept whatever its size.
        history.append(Self.entry(7, 8, bytes: 5000))
        #expect(history.floor == 7)
        #expect(history.catchUp(after: 7) == .events([Self.entry(7, 8, bytes: 5000).event], through: 8))

        history.restart(at: 9)
        #expect(history.catchUp(after: 8) == .reload(at: 9))
        #expect(history.catchUp(after: 9) == .upToDate)
    }
}
