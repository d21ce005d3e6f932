extension EventBundle {
    /// Joins bundles into one, for a courier: every event of every bundle once (an event in several is
    /// kept once), and every photo. Refuses (`chains-differ`) two bundles that hold different events under
    /// one device's seq, and (`chain-broken`) a device whose events do not join up into one run.
    public static func merging(_ bundles: [EventBundle]) throws(BundleProblem) -> EventBundle {
        var bySlot = [DeviceID: [Int64: Event]]()
        for bundle in bundles {
            for event in bundle.events {
                if let held = bySlot[event.device]?[event.seq] {
                    guard held.hash == event.hash, held.signature == event.signature else {
                        throw BundleProblem(
                            .chainsDiffer,
                            "device \(event.device) seq \(event.seq) is a different event in two of the bundles"
                                + " (hashes \(held.hash.hex) and \(event.hash.hex)): two chains of one device are"
                                + " never merged", device: event.device, seq: event.seq)
                    }
                    continue
                }
                bySlot[event.device, default: [:]][event.seq] = event
            }
        }
        return try EventBundle(
            events: bySlot.values.flatMap(\.values), photos: bundles.flatMap(\.photos))
    }
}
