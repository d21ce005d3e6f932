import Synchronization
import Testing

@testable import FieldSyncModel

/// The one way CPU-bound batches are spread over the cores.
@Suite struct ConcurrentMapTests {
    @Test(arguments: [0, 1, 63, 64, 1_000, 100_003])
    func theResultsAreInTheElementsOrder(count: Int) async {
        let numbers = Array(0..<count)
        #expect(await numbers.concurrentMap(minimumChunk: 32) { $0 * 3 + 1 } == numbers.map { $0 * 3 + 1 })
    }

    @Test func aSliceIsMappedFromItsOwnIndices() async {
        let numbers = Array(0..<10_000)[2_500..<7_500]
        #expect(await numbers.concurrentMap { String($0) } == numbers.map { String($0) })
    }

    @Test func aLargeBatchIsSplitIntoChunksForTheCores() async {
        let chunks = Mutex([Int]())
        let numbers = Array(0..<100_000)
        let mapped = await numbers.concurrentMapChunks(minimumChunk: 100) { chunk in
            chunks.withLock { $0.append(chunk.count) }
            return chunk.map { $0 + 1 }
        }
        #expect(mapped == numbers.map { $0 + 1 })
        let sizes = chunks.withLock { $0 }
        #expect(sizes.reduce(0, +) == numbers.count)
        #expect(sizes.count == 2 * ProcessorCores.online)
        #expect(sizes.allSatisfy { $0 >= 100 })
    }

    @Test func aBatchTooSmallForTwoChunksIsMappedInOne() async {
        let chunks = Mutex(0)
        let numbers = Array(0..<199)
        let mapped = await numbers.concurrentMapChunks(minimumChunk: 100) { chunk in
            chunks.withLock { $0 += 1 }
            return chunk.map { -$0 }
        }
        #expect(mapped == numbers.map { -$0 })
        #expect(chunks.withLock { $0 } == 1)
    }
}
