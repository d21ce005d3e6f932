extension Array where Element: Comparable {
    /// Where `element` is, or would go, in a sorted array: the first index whose element is not less.
    func sortedIndex(of element: Element) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < element { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Whether a sorted array holds `element`, found by halving.
    func sortedContains(_ element: Element) -> Bool {
        let index = sortedIndex(of: element)
        return index < count && self[index] == element
    }

    /// Inserts `element` in its place in a sorted array, unless it is there already.
    mutating func insertSorted(_ element: Element) {
        let index = sortedIndex(of: element)
        if index < count && self[index] == element { return }
        insert(element, at: index)
    }
}
