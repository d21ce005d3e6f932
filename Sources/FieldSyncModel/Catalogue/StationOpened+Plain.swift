extension StationOpened {
    /// Reads an opening straight from the JSON text of its `data` (see ``PlainObject``): `openedAt`,
    /// `materialsComplete` and `staffPresent`, each once and nothing else, as ``init(reading:)`` reads
    /// them. Nil for any other text, including every text ``init(reading:)`` refuses: the caller reads
    /// that one through the tree.
    init?(plain bytes: UnsafeBufferPointer<UInt8>) {
        var openedAt: ObservedTime?
        var materialsComplete: Bool?
        var staffPresent: Bool?
        let read = PlainObject.forEachMember(of: bytes) { name, value in
            if name.equals("openedAt") {
                guard openedAt == nil else { return false }
                openedAt = value.time
                return openedAt != nil
            }
            guard case .bool(let flag) = value else { return false }
            if name.equals("materialsComplete"), materialsComplete == nil {
                materialsComplete = flag
            } else if name.equals("staffPresent"), staffPresent == nil {
                staffPresent = flag
            } else {
                return false
            }
            return true
        }
        guard read, let openedAt, let materialsComplete, let staffPresent else { return nil }
        self.init(openedAt: openedAt, materialsComplete: materialsComplete, staffPresent: staffPresent)
    }

    /// Appends the canonical form of ``jsonValue`` without making it: its members in their canonical
    /// order (`materialsComplete`, `openedAt`, `staffPresent`).
    func writeCanonicalData(into out: inout [UInt8]) {
        out.append(contentsOf: #"{"materialsComplete":"#.utf8)
        out.append(contentsOf: (materialsComplete ? "true" : "false").utf8)
        out.append(contentsOf: #","openedAt":"#.utf8)
        CanonicalJSON.writeString(openedAt.text, into: &out)
        out.append(contentsOf: #","staffPresent":"#.utf8)
        out.append(contentsOf: (staffPresent ? "true" : "false").utf8)
        out.append(UInt8(ascii: "}"))
    }
}

extension StationClosed {
    /// Reads a closing straight from the JSON text of its `data` (see ``PlainObject``): `closedAt` and
    /// the optional `votersInQueue`, each once and nothing else, as ``init(reading:)`` reads them. Nil for
    /// any other text, including every text ``init(reading:)`` refuses: the caller reads that one through
    /// the tree.
    init?(plain bytes: UnsafeBufferPointer<UInt8>) {
        var closedAt: ObservedTime?
        var votersInQueue: Int?
        let read = PlainObject.forEachMember(of: bytes) { name, value in
            if name.equals("closedAt") {
                guard closedAt == nil else { return false }
                closedAt = value.time
                return closedAt != nil
            }
            guard name.equals("votersInQueue"), votersInQueue == nil, case .integer(let count) = value, count >= 0
            else { return false }
            votersInQueue = Int(count)
            return true
        }
        guard read, let closedAt else { return nil }
        self.init(closedAt: closedAt, votersInQueue: votersInQueue)
    }

    /// Appends the canonical form of ``jsonValue`` without making it: `closedAt`, then `votersInQueue`
    /// when there is one.
    func writeCanonicalData(into out: inout [UInt8]) {
        out.append(contentsOf: #"{"closedAt":"#.utf8)
        CanonicalJSON.writeString(closedAt.text, into: &out)
        if let votersInQueue {
            out.append(contentsOf: #","votersInQueue":"#.utf8)
            CanonicalJSON.writeInteger(Int64(votersInQueue), into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}
