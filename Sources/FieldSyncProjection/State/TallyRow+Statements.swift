import FieldSyncStore
import FieldSyncTally

extension Array where Element == TallyRow {
    /// The rows, in order, cut into consecutive slices whose documents add up to at most `bytes` each; a row
    /// whose document alone is larger is a slice of its own, and a row without a document weighs nothing.
    /// None for no rows.
    func slices(ofDocumentBytes bytes: Int) -> [ArraySlice<TallyRow>] {
        var slices: [ArraySlice<TallyRow>] = []
        var start = startIndex
        var sliceBytes = 0
        for index in indices {
            let rowBytes = self[index].canonicalBytes?.count ?? 0
            if index > start && sliceBytes + rowBytes > bytes {
                slices.append(self[start..<index])
                start = index
                sliceBytes = 0
            }
            sliceBytes += rowBytes
        }
        if start < endIndex { slices.append(self[start...]) }
        return slices
    }
}
