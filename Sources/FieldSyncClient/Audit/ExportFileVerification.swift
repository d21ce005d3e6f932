import FieldSyncModel
import Foundation

/// `fieldsync audit verify`: an export file checked with ``ExportVerification``, read in batches of
/// lines. Reading a line (parsing, decoding, hashing) needs nothing but the line, and checking its
/// signature nothing but the line and its device's key, so each batch is read and its signatures checked
/// by child tasks on every core, against the keys enrolled before the batch before it, while that batch is
/// verified in order (chains, positions, rules); a line whose key was not known yet (its device enrolled
/// in the last two batches, or changed) has its signature checked in order. Memory holds two batches at
/// most.
public struct ExportFileVerification: Sendable {
    public let path: String
    public let pinnedServerKey: PublicKey?
    /// Lines read at a time.
    public var batchSize = 2048
    /// The size of the Merkle tree whose root to compute (``ExportVerification/treeSize``); nil for none.
    public var treeSize: Int64?
    /// A tree head verified before, whose events' signatures are not checked again
    /// (``ExportVerification/trusted``); nil for none.
    public var trusted: TreeHead?

    public init(path: String, pinnedServerKey: PublicKey? = nil) {
        self.path = path
        self.pinnedServerKey = pinnedServerKey
    }

    /// Verifies the file: its summary when every line verifies, else the first break. `progress` is told
    /// how many lines are verified after each batch.
    public func run(progress: (Int) -> Void = { _ in }) async throws -> Result<VerifiedLog, LogBreak> {
        var verification = ExportVerification(pinnedServerKey: pinnedServerKey)
        verification.treeSize = treeSize
        if let trusted { verification.trusted = trusted }
        let trustedSize = trusted?.size ?? 0
        let file = try ExportFileReader(path: path).lines()
        var torn: (number: Int, bytes: Int)?

        /// The next batch of complete lines from the file, nil at its end.
        func nextBatch() throws -> [[UInt8]]? {
            var batch = [[UInt8]]()
            batch.reserveCapacity(batchSize)
            while batch.count < batchSize, torn == nil,
                let line = try file.next({ number, bytes, complete -> [UInt8]? in
                    guard complete else {
                        torn = (number, bytes.count)
                        return nil
                    }
                    return Array(bytes)
                })
            {
                if let line { batch.append(line) }
            }
            return batch.isEmpty ? nil : batch
        }

        var found: LogBreak?
        var read = [(line: ExportLine, checkedKey: PublicKey?)]()
        /// Verifies the lines read, in order, up to the first break.
        func verifyRead() {
            guard !read.isEmpty else { return }
            for (line, key) in read where found == nil {
                found = verification.read(line, checkedKey: key)
            }
            read.removeAll()
            progress(verification.lines)
        }

        var next = try nextBatch()
        while let batch = next {
            let reference = verification.verifier.reference
            async let reading = batch.concurrentMap(minimumChunk: Self.minimumChunk) {
                bytes -> (line: ExportLine, checkedKey: PublicKey?) in
                let line = ExportLine(bytes: bytes)
                if case .event(let stored) = line, stored.position <= trustedSize { return (line, nil) }
                return (line, line.signatureCheck(in: reference))
            }
            verifyRead()
            next = found == nil ? try nextBatch() : nil
            read = await reading
        }
        verifyRead()
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

    /// The fewest lines a child task reads.
    static let minimumChunk = 64
}
