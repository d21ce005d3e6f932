extension TurnoutCount {
    /// Reads a turnout count straight from the JSON text of its `data` (see ``PlainObject``): `asOf`,
    /// `votesCast` and the optional `male` and `female`, each once and nothing else, every rule of
    /// ``init(reading:)`` met. Nil for any other text, including every text ``init(reading:)`` refuses:
    /// the caller reads that one through the tree, which reports it.
    init?(plain bytes: UnsafeBufferPointer<UInt8>) {
        var asOf: ObservedTime?
        var votesCast: Int?
        var male: Int?
        var female: Int?
        /// A count not read before.
        func count(_ value: PlainObject.Value, into slot: inout Int?) -> Bool {
            guard slot == nil, case .integer(let integer) = value, integer >= 0 else { return false }
            slot = Int(integer)
            return true
        }
        let read = PlainObject.forEachMember(of: bytes) { name, value in
            if name.equals("asOf") {
                guard asOf == nil else { return false }
                asOf = value.time
                return asOf != nil
            }
            if name.equals("votesCast") { return count(value, into: &votesCast) }
            if name.equals("male") { return count(value, into: &male) }
            if name.equals("female") { return count(value, into: &female) }
            return false
        }
        guard read, let asOf, let votesCast, (male ?? 0) + (female ?? 0) <= votesCast else { return nil }
        self.init(asOf: asOf, votesCast: votesCast, male: male, female: female)
    }

    /// Appends the canonical form of ``jsonValue`` without making it: its members in their canonical
    /// order (`asOf`, `female`, `male`, `votesCast`), the counts left out when absent.
    func writeCanonicalData(into out: inout [UInt8]) {
        out.append(contentsOf: #"{"asOf":"#.utf8)
        CanonicalJSON.writeString(asOf.text, into: &out)
        if let female {
            out.append(contentsOf: #","female":"#.utf8)
            CanonicalJSON.writeInteger(Int64(female), into: &out)
        }
        if let male {
            out.append(contentsOf: #","male":"#.utf8)
            CanonicalJSON.writeInteger(Int64(male), into: &out)
        }
        out.append(contentsOf: #","votesCast":"#.utf8)
        CanonicalJSON.writeInteger(Int64(votesCast), into: &out)
        out.append(UInt8(ascii: "}"))
    }
}
