import FieldSyncModel
import FieldSyncProjection
import FieldSyncStore
import Prometheus
import Synchronization

/// The live streams open now: admits a new one within the limits (``total`` in all, ``perDevice`` for
/// one device), hands every stream the feed's ``signals``, and ends the streams of devices whose
/// credentials no longer work.
final class LiveStreams: Sendable {
    /// The feed's signals, to every open stream.
    let signals = Broadcast<LiveSignal>(buffering: 8)
    let total: Int
    let perDevice: Int
    private let gauge: Gauge
    private let state = Mutex(State())

    private struct State {
        var next = 0
        var open: [Int: Entry] = [:]
        var perDevice: [DeviceID: Int] = [:]
    }

    private struct Entry {
        var device: DeviceID
        var subscription: Broadcast<LiveSignal>.Subscription
        /// Why the server ended it; nil while the client may keep it.
        var endedBecause: String?
    }

    /// `gauge` is kept at the number of open streams.
    init(total: Int, perDevice: Int, gauge: Gauge) {
        self.total = total
        self.perDevice = perDevice
        self.gauge = gauge
    }

    /// One open stream: the signals to act on, until they end. Dropping it closes the stream.
    final class Stream: Sendable {
        let device: DeviceID
        let signals: AsyncStream<LiveSignal>
        private let id: Int
        private let streams: LiveStreams

        fileprivate init(device: DeviceID, signals: AsyncStream<LiveSignal>, id: Int, streams: LiveStreams) {
            self.device = device
            self.signals = signals
            self.id = id
            self.streams = streams
        }

        /// Why the server ended the stream, once it did.
        var endedBecause: String? { streams.state.withLock { $0.open[id]?.endedBecause } }

        /// Ends the signals (when the server shuts down): the stream finishes what it writes and closes.
        func finish() { streams.state.withLock { $0.open[id]?.subscription }?.end() }

        deinit { streams.remove(id) }
    }

    /// Opens a stream for `device`, or throws `too-many-live-streams` (429) or `live-streams-full` (503).
    func open(device: DeviceID) throws -> Stream {
        let subscription = signals.subscribe()
        let admitted = state.withLock { state -> Result<Int, Problem> in
            if state.perDevice[device, default: 0] >= perDevice {
                return .failure(.tooManyLiveStreams(device: device, limit: perDevice))
            }
            if state.open.count >= total { return .failure(.liveStreamsFull(limit: total)) }
            state.next += 1
            state.open[state.next] = Entry(device: device, subscription: subscription)
            state.perDevice[device, default: 0] += 1
            return .success(state.next)
        }
        switch admitted {
        case .success(let id):
            gauge.set(Int64(count))
            return Stream(device: device, signals: subscription.updates, id: id, streams: self)
        case .failure(let problem):
            subscription.end()
            throw problem
        }
    }

    /// How many streams are open.
    var count: Int { state.withLock { $0.open.count } }

    /// The devices with a stream open.
    var devices: Set<DeviceID> { state.withLock { Set($0.perDevice.keys) } }

    /// Ends every stream of `devices`, saying why.
    func end(_ devices: Set<DeviceID>, because reason: (DeviceID) -> String) {
        guard !devices.isEmpty else { return }
        let ended = state.withLock { state in
            var ended = [Broadcast<LiveSignal>.Subscription]()
            for (id, entry) in state.open where devices.contains(entry.device) && entry.endedBecause == nil {
                state.open[id]?.endedBecause = reason(entry.device)
                ended.append(entry.subscription)
            }
            return ended
        }
        for subscription in ended { subscription.end() }
    }

    private func remove(_ id: Int) {
        let removed = state.withLock { state -> Entry? in
            guard let entry = state.open.removeValue(forKey: id) else { return nil }
            state.perDevice[entry.device, default: 1] -= 1
            if state.perDevice[entry.device] == 0 { state.perDevice[entry.device] = nil }
            return entry
        }
        removed?.subscription.end()
        gauge.set(Int64(count))
    }
}
