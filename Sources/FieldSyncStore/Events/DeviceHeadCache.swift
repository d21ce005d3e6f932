import FieldSyncModel
import Synchronization

/// This process's memory of each device's last stored event, valid only at the global chain head it
/// was recorded at.
///
/// Appends read the global head under the append lock anyway. When it is the head this cache was last
/// brought to, nothing was appended by anyone since, so every device head held here is current and the
/// append need not ask the database for it. Otherwise the cache is dropped and refilled from the
/// database. The head's chain link, not just its position, identifies it: a batch that failed to commit
/// and another that took its positions can never be confused.
final class DeviceHeadCache: Sendable {
    private struct State {
        var head: ChainHead?
        /// By device id, not its text: nationally the cache holds about 181,000 devices, and a key of
        /// text took an allocation of its own for each.
        var devices: [DeviceID: DeviceHead] = [:]
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 1_000_000) {
        self.capacity = capacity
    }

    /// The heads of those of `devices` that the cache knows, if it is current at `head`; otherwise
    /// none, and the cache starts again empty. A device with no stored event has sequence 0.
    func heads(for devices: some Sequence<String>, at head: ChainHead) -> [String: DeviceHead] {
        state.withLock { state in
            guard state.head == head else {
                state = State(head: head)
                return [:]
            }
            var found: [String: DeviceHead] = [:]
            for device in devices {
                if let id = DeviceID(device), let known = state.devices[id] { found[device] = known }
            }
            return found
        }
    }

    /// Records device heads that are current at `head`: read from the database at that head, or made by
    /// an append that moved the chain to it. Must follow a ``heads(for:at:)`` call under the same lock.
    func record(_ devices: [String: DeviceHead], at head: ChainHead) {
        state.withLock { state in
            if state.devices.count + devices.count > capacity { state.devices.removeAll() }
            // A device whose text is not an id (never one the server stored) is not kept: it is read again.
            for (device, known) in devices {
                if let id = DeviceID(device) { state.devices[id] = known }
            }
            state.head = head
        }
    }

    /// Forgets everything.
    func clear() {
        state.withLock { $0 = State() }
    }
}
