/// JSON for people to read: members in canonical order, two-space indents, strings escaped as in
/// the canonical form. Short arrays and objects of scalars stay on one line. The test vectors are
/// written this way.
public enum PrettyJSON {
    public static func string(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        return out + "\n"
    }

    private static func write(_ value: JSONValue, indent: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: indent + 1)
        let close = String(repeating: "  ", count: indent)
        switch value {
        case .array(let array) where !array.isEmpty:
            if array.allSatisfy(isScalar) && CanonicalJSON.string(value).count < 100 {
                out += CanonicalJSON.string(value)
                return
            }
            out += "[\n"
            for (offset, element) in array.enumerated() {
                out += pad
                write(element, indent: indent + 1, into: &out)
                out += offset == array.count - 1 ? "\n" : ",\n"
            }
            out += close + "]"
        case .object(let object) where !object.isEmpty:
            if object.values.allSatisfy(isScalar) && CanonicalJSON.string(value).count < 100 {
                out += CanonicalJSON.string(value)
                return
            }
            out += "{\n"
            let keys = CanonicalJSON.sortedKeys(object)
            for (offset, key) in keys.enumerated() {
                out += pad + CanonicalJSON.string(.string(key)) + ": "
                write(object[key]!, indent: indent + 1, into: &out)
                out += offset == keys.count - 1 ? "\n" : ",\n"
            }
            out += close + "}"
        default:
            out += CanonicalJSON.string(value)
        }
    }

    private static func isScalar(_ value: JSONValue) -> Bool {
        switch value {
        case .array, .object: false
        default: true
        }
    }
}
