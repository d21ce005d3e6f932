extension StationAssignment {
    /// Reads an assignment straight from the JSON text of its `data` (see ``PlainObject``): `device`,
    /// `stations` and `constituencies`, each once and nothing else, every rule of ``init(reading:)`` met
    /// (at most ``maximumEntries`` distinct codes in each list, not both empty), and each value written
    /// exactly as ``jsonValue`` writes it. Nil for any other text, including every text
    /// ``init(reading:)`` refuses: the caller reads that one through the tree.
    init?(plain bytes: UnsafeBufferPointer<UInt8>) {
        var device: DeviceID?
        var stations: [StationCode]?
        var constituencies: [ConstituencyCode]?
        /// Distinct codes, each written as `code` parses and writes it.
        func codes<Code: Hashable>(
            _ value: PlainObject.Value, _ code: (String) -> Code?, _ written: (Code) -> String
        ) -> [Code]? {
            guard case .strings(let texts) = value, texts.count <= Self.maximumEntries else { return nil }
            var codes: [Code] = []
            var seen = Set<Code>()
            for text in texts {
                let string = String(decoding: text, as: UTF8.self)
                guard let parsed = code(string), written(parsed) == string, seen.insert(parsed).inserted else {
                    return nil
                }
                codes.append(parsed)
            }
            return codes
        }
        let read = PlainObject.forEachMember(of: bytes) { name, value in
            if name.equals("device") {
                guard device == nil, let id = value.device else { return false }
                device = id
            } else if name.equals("stations") {
                guard stations == nil else { return false }
                stations = codes(value, { StationCode($0) }, \.rawValue)
                return stations != nil
            } else if name.equals("constituencies") {
                guard constituencies == nil else { return false }
                constituencies = codes(value, { ConstituencyCode($0) }, \.rawValue)
                return constituencies != nil
            } else {
                return false
            }
            return true
        }
        guard read, let device, let stations, let constituencies, !(stations.isEmpty && constituencies.isEmpty)
        else { return nil }
        self.init(device: device, stations: stations, constituencies: constituencies)
    }

    /// Appends the canonical form of ``jsonValue`` without making it: its members in their canonical
    /// order (`constituencies`, `device`, `stations`), the lists in their order.
    func writeCanonicalData(into out: inout [UInt8]) {
        func list(_ texts: some Sequence<String>) {
            out.append(UInt8(ascii: "["))
            for (index, text) in texts.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                CanonicalJSON.writeString(text, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(contentsOf: #"{"constituencies":"#.utf8)
        list(constituencies.lazy.map(\.rawValue))
        out.append(contentsOf: #","device":"#.utf8)
        CanonicalJSON.writeString(device.rawValue, into: &out)
        out.append(contentsOf: #","stations":"#.utf8)
        list(stations.lazy.map(\.rawValue))
        out.append(UInt8(ascii: "}"))
    }
}
