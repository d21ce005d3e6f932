import FieldSyncModel

extension JSONValue {
    /// The element `index` of an array; nil for any other value or an index out of range.
    subscript(index: Int) -> JSONValue? {
        guard case .array(let array) = self, array.indices.contains(index) else { return nil }
        return array[index]
    }
}
