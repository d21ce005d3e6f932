import Foundation

/// One process's memory as Linux reports it in `/proc/<pid>/status`, in kibibytes.
///
/// `VmRSS` counts every page of the process in memory, its own and shared ones alike; `VmHWM` is the
/// highest `VmRSS` since the process started. `RssAnon` is the part that belongs to this process alone
/// (heap, stacks), `RssShmem` the shared memory it has touched: for PostgreSQL's processes that is
/// mostly the one shared buffer pool, counted again in each of them.
public struct ProcessMemory: Sendable {
    public var resident: Int
    public var peakResident: Int
    public var anonymous: Int
    public var sharedMemory: Int

    /// The figures of a running process; nil once it has ended.
    public init?(pid: Int32) {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        var fields: [Substring: Int] = [:]
        for line in status.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let value = parts[1].split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) }
            if let value { fields[parts[0]] = value }
        }
        guard let resident = fields["VmRSS"], let peak = fields["VmHWM"] else { return nil }
        self.resident = resident
        self.peakResident = peak
        self.anonymous = fields["RssAnon"] ?? 0
        self.sharedMemory = fields["RssShmem"] ?? 0
    }

    /// "RSS 212 MiB, peak 260 MiB".
    public var summary: String { "RSS \(mebibytes(resident)), peak \(mebibytes(peakResident))" }
}

/// The processes of one PostgreSQL cluster: its postmaster (the first line of `postmaster.pid` in the
/// cluster's folder) and the postmaster's children.
public struct PostgresMemory: Sendable {
    public var processes: Int
    /// `RssAnon` summed: what the cluster's processes hold of their own.
    public var anonymous: Int
    /// The largest `RssShmem` of one process: at least this much of the shared buffers is in memory.
    public var sharedMemory: Int

    public init?(clusterDirectory: String) {
        guard let pidFile = try? String(contentsOfFile: clusterDirectory + "/postmaster.pid", encoding: .utf8),
            let postmaster = pidFile.split(separator: "\n").first.flatMap({ Int32($0) })
        else { return nil }
        let children = Self.children(of: postmaster)
        let memories = ([postmaster] + children).compactMap { ProcessMemory(pid: $0) }
        guard !memories.isEmpty else { return nil }
        processes = memories.count
        anonymous = memories.reduce(0) { $0 + $1.anonymous }
        sharedMemory = memories.map(\.sharedMemory).max() ?? 0
    }

    /// The processes whose parent is `parent`, from `PPid` in every `/proc/<pid>/status`.
    static func children(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
            return status.split(separator: "\n").contains {
                $0.hasPrefix("PPid:") && Int32($0.dropFirst(5).trimmingCharacters(in: .whitespaces)) == parent
            }
        }
    }
}

/// Kibibytes as whole mebibytes: "212 MiB".
public func mebibytes(_ kibibytes: Int) -> String {
    "\(Int((Double(kibibytes) / 1024).rounded())) MiB"
}
