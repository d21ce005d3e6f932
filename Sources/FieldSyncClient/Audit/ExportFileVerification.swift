import Dispatch
import FieldSyncModel
import Foundation

/// `fieldsync audit verify`: an export file checked with ``ExportVerification``, read in batches of
/// lines. Reading a line (parsing, decoding, hashing) needs nothing but the line, so each batch is read
/// on every core while the batch before it is verified in order; memory holds two batches at most.
public struct ExportFileVerification: Sendable {
    public let path: String
    public let pinnedServerKey: PublicKey?
    /// Lines read at a time.
    public var batchSize = 2048
    /// The size of the Merkle tree whose root to compute (``ExportVerification/treeSize``); nil for none.
    public var treeSize: Int64?

    public init(path: String, pinnedServerKey: PublicKey? = nil) {
        self.path = path
        self.pinnedServerKey = pinnedServerKey
    }

    /// Verifies the file: its summary when every line verifies, else the first break. `progress` is told
    /// how many lines are verified after each batch.
    public func run(progress: (Int) -> Void = { _ in }) throws -> Result<VerifiedLog, LogBreak> {
        var verification = ExportVerification(pinnedServerKey: pinnedServerKey)
        verification.treeSize = treeSize
        var found: LogBreak?
        var batch = [[UInt8]]()
        batch.reserveCapacity(batchSize)
        var reading: ReadingBatch?
        var torn: (number: Int, bytes: Int)?

        /// Verifies the batch read before, if any, while `next` is being read.
        func verifyPending() {
            guard let pending = reading else { return }
            reading = nil
            for line in pending.wait() where found == nil {
                found = verification.read(line)
            }
            progress(verification.lines)
        }

        try ExportFileReader(path: path).forEachLine { number, bytes, complete in
            guard complete else {
                torn = (number, bytes.count)
                return false
            }
            batch.append(Array(bytes))
            if batch.count == batchSize {
                let next = ReadingBatch(batch)
                verifyPending()
                reading = next
                batch.removeAll(keepingCapacity: true)
            }
            return found == nil
        }
        let last = batch.isEmpty ? nil : ReadingBatch(batch)
        verifyPending()
        reading = last
        verifyPending()
        if let found { return .failure(found) }
        if let torn {
            return .failure(
                LogBreak(
                    line: torn.number, position: nil, event: nil,
                    problems: [
                        FieldError(
                            field: "", code: .invalidJSON,
                            problem: "the last line is cut short (\(torn.bytes) bytes without a line feed): the export "
                                + "was interrupted",
                            allowed: "a finished export; run fieldsync audit export again on this file to complete it")
                    ]))
        }
        if let end = verification.finish() { return .failure(end) }
        return .success(verification.summary)
    }
}

/// A batch of lines being read on every core, in the background.
final class ReadingBatch: @unchecked Sendable {
    private let group = DispatchGroup()
    private let lines: UnsafeMutableBufferPointer<ExportLine?>

    init(_ bytes: [[UInt8]]) {
        lines = .allocate(capacity: bytes.count)
        lines.initialize(repeating: nil)
        let slots = Slots(buffer: lines)
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        DispatchQueue.global().async(group: group) {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var index = worker
                while index < bytes.count {
                    slots.buffer[index] = ExportLine(bytes: bytes[index])
                    index += workers
                }
            }
        }
    }

    /// The lines read, in order, once all are.
    func wait() -> [ExportLine] {
        group.wait()
        return lines.map { $0! }
    }

    /// The slots the workers fill, each index by one worker.
    private struct Slots: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<ExportLine?>
    }

    deinit {
        group.wait()
        lines.deinitialize()
        lines.deallocate()
    }
}
