import FieldSyncModel

/// Compares tally documents field by field: the replay's against the server's.
///
/// Objects are compared member by member. Arrays whose elements are objects named by a key member
/// (`candidate`, `station`, `constituency`, `party`, `device`, `event`, `code`) are matched by that key,
/// so one candidate more or less is one difference, not one per candidate after it; if they hold the
/// same elements in another order, the order itself is the difference. Other arrays are compared
/// element by element. Pure: no I/O.
public enum TallyComparison {
    /// The members that name an element of an array of objects, in the order they are tried.
    static let keyMembers = ["candidate", "station", "constituency", "party", "device", "event", "code"]

    /// Every difference between two documents; empty when they are equal.
    public static func differences(document: String, replayed: JSONValue?, served: JSONValue?) -> [TallyDifference] {
        var out = [TallyDifference]()
        compare(replayed, served, path: "", document: document, into: &out)
        return out
    }

    /// Two answers of `GET /v1/tallies`: `position`, `asOf`, the city, each district and each constituency.
    public static func overview(replayed: JSONValue, served: JSONValue) -> [TallyDifference] {
        var out = [TallyDifference]()
        for member in ["position", "asOf"] {
            compare(replayed[member], served[member], path: member, document: "answer", into: &out)
        }
        compare(replayed["city"], served["city"], path: "", document: "city", into: &out)
        keyed(replayed["districts"], served["districts"], document: "district", into: &out)
        keyed(replayed["constituencies"], served["constituencies"], document: "constituency", into: &out)
        return out
    }

    /// Two answers of `GET /v1/tallies/{constituency}`: the seat and each of its stations.
    public static func constituency(replayed: JSONValue, served: JSONValue) -> [TallyDifference] {
        var out = [TallyDifference]()
        let code =
            replayed["constituency"]?["constituency"]?.stringValue
            ?? served["constituency"]?["constituency"]?.stringValue ?? "?"
        for member in ["position", "asOf"] {
            compare(replayed[member], served[member], path: member, document: "answer for \(code)", into: &out)
        }
        compare(
            replayed["constituency"], served["constituency"], path: "", document: "constituency \(code)", into: &out)
        keyed(replayed["stations"], served["stations"], document: "\(code) summary of station", into: &out)
        return out
    }

    /// Two answers of `GET /v1/stations/{station}`: the station's document (the stored events the answer also
    /// lists are the log's, which `audit verify` checks, and are not compared).
    public static func station(replayed: JSONValue, served: JSONValue) -> [TallyDifference] {
        var out = [TallyDifference]()
        let code =
            replayed["station"]?["station"]?.stringValue ?? served["station"]?["station"]?.stringValue ?? "?"
        for member in ["position", "asOf"] {
            compare(replayed[member], served[member], path: member, document: "answer for \(code)", into: &out)
        }
        compare(replayed["station"], served["station"], path: "", document: "station \(code)", into: &out)
        return out
    }

    /// Two answers of `GET /v1/official`: the city's comparison with the official Form-45s, as one document.
    public static func official(replayed: JSONValue, served: JSONValue) -> [TallyDifference] {
        var out = [TallyDifference]()
        compare(replayed, served, path: "", document: "official comparison", into: &out)
        return out
    }

    /// The first difference of each document, in the order given, each saying how many more its document
    /// has (``TallyDifference/more``): one changed figure often moves others after it (a sum, a flag), and
    /// the first names where the document departs.
    public static func firstPerDocument(_ differences: [TallyDifference]) -> [TallyDifference] {
        var first = [TallyDifference]()
        var index = [String: Int]()
        for difference in differences {
            if let at = index[difference.document] {
                first[at].more += 1 + difference.more
            } else {
                index[difference.document] = first.count
                first.append(difference)
            }
        }
        return first
    }

    /// Documents keyed by name or code (`{"NA-248": {…}, …}`), each compared as `<kind> <key>`.
    private static func keyed(
        _ left: JSONValue?, _ right: JSONValue?, document: String, into out: inout [TallyDifference]
    ) {
        let leftObject = left?.objectValue ?? [:]
        let rightObject = right?.objectValue ?? [:]
        for key in Set(leftObject.keys).union(rightObject.keys).sorted(by: CanonicalJSON.precedesInUTF16Order) {
            compare(leftObject[key], rightObject[key], path: "", document: "\(document) \(key)", into: &out)
        }
    }

    private static func compare(
        _ left: JSONValue?, _ right: JSONValue?, path: String, document: String, into out: inout [TallyDifference]
    ) {
        if left == right { return }
        switch (left, right) {
        case (.object(let a)?, .object(let b)?):
            for key in Set(a.keys).union(b.keys).sorted(by: CanonicalJSON.precedesInUTF16Order) {
                compare(a[key], b[key], path: join(path, key), document: document, into: &out)
            }
        case (.array(let a)?, .array(let b)?):
            compareArrays(a, b, path: path, document: document, into: &out)
        default:
            out.append(TallyDifference(document: document, path: path, replayed: left, served: right))
        }
    }

    private static func compareArrays(
        _ a: [JSONValue], _ b: [JSONValue], path: String, document: String, into out: inout [TallyDifference]
    ) {
        if let member = keyMember(a, b) {
            let keysA = a.map { $0[member]!.description }
            let keysB = b.map { $0[member]!.description }
            let byKeyA = Dictionary(uniqueKeysWithValues: zip(keysA, a))
            let byKeyB = Dictionary(uniqueKeysWithValues: zip(keysB, b))
            var seen = Set<String>()
            let before = out.count
            for key in keysA + keysB where seen.insert(key).inserted {
                compare(byKeyA[key], byKeyB[key], path: path + "[\(label(key))]", document: document, into: &out)
            }
            if out.count == before {
                out.append(
                    TallyDifference(
                        document: document, path: path + " (order)",
                        replayed: .array(keysA.map { .string(label($0)) }),
                        served: .array(keysB.map { .string(label($0)) })))
            }
            return
        }
        for index in 0..<max(a.count, b.count) {
            compare(
                index < a.count ? a[index] : nil, index < b.count ? b[index] : nil, path: path + "[\(index)]",
                document: document, into: &out)
        }
    }

    /// The key member that names every element of both arrays, once each; nil if none does.
    private static func keyMember(_ a: [JSONValue], _ b: [JSONValue]) -> String? {
        guard !a.isEmpty || !b.isEmpty else { return nil }
        candidates: for member in keyMembers {
            for elements in [a, b] {
                var seen = Set<JSONValue>()
                for element in elements {
                    guard let value = element[member], value != .null, seen.insert(value).inserted else {
                        continue candidates
                    }
                }
            }
            return member
        }
        return nil
    }

    /// A key as shown in a path: a string without its quotes.
    private static func label(_ key: String) -> String {
        key.hasPrefix("\"") && key.hasSuffix("\"") && key.count >= 2 ? String(key.dropFirst().dropLast()) : key
    }

    private static func join(_ path: String, _ member: String) -> String {
        path.isEmpty ? member : path + "." + member
    }
}
