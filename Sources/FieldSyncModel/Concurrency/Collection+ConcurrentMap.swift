#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RandomAccessCollection where Self: Sendable, SubSequence: Sendable {
    /// `map` over the cores: the elements are split into contiguous chunks that child tasks transform at
    /// the same time on Swift's cooperative pool. The results are in the elements' order.
    ///
    /// For CPU-bound batches (parsing, hashing, checking signatures), never for work that waits on I/O:
    /// there are at most twice as many chunks as cores, so that one slow chunk does not leave a core idle,
    /// and none smaller than `minimumChunk` elements, so that a batch too small to gain from child tasks
    /// is transformed by the calling task alone.
    public func concurrentMap<Mapped: Sendable>(
        minimumChunk: Int = 1, _ transform: @escaping @Sendable (Element) -> Mapped
    ) async -> [Mapped] {
        await concurrentMapChunks(minimumChunk: minimumChunk) { $0.map(transform) }
    }

    /// ``concurrentMap(minimumChunk:_:)`` for a transform that works a chunk at a time, such as one that
    /// reuses a buffer from one element to the next. It must return one value for each element of the
    /// chunk, in order.
    public func concurrentMapChunks<Mapped: Sendable>(
        minimumChunk: Int = 1, _ transform: @escaping @Sendable (SubSequence) -> [Mapped]
    ) async -> [Mapped] {
        let chunks = Swift.min(count / Swift.max(1, minimumChunk), 2 * ProcessorCores.online)
        guard chunks > 1 else { return Self.map(self[...], transform) }
        let size = (count + chunks - 1) / chunks
        return await withTaskGroup(of: (Int, [Mapped]).self) { group in
            var start = startIndex
            var added = 0
            while start != endIndex {
                let end = index(start, offsetBy: size, limitedBy: endIndex) ?? endIndex
                let chunk = self[start..<end]
                let number = added
                group.addTask { (number, Self.map(chunk, transform)) }
                added += 1
                start = end
            }
            var parts = [[Mapped]](repeating: [], count: added)
            for await (number, part) in group { parts[number] = part }
            // Appended part by part, not through a flattened sequence element by element.
            var mapped = [Mapped]()
            mapped.reserveCapacity(count)
            for part in parts { mapped.append(contentsOf: part) }
            return mapped
        }
    }

    private static func map<Mapped>(_ chunk: SubSequence, _ transform: (SubSequence) -> [Mapped]) -> [Mapped] {
        let mapped = transform(chunk)
        precondition(mapped.count == chunk.count, "a chunk's transform must return one value for each element")
        return mapped
    }
}

/// The number of cores online: as many threads as Swift's cooperative pool runs tasks on.
enum ProcessorCores {
    static let online = Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
