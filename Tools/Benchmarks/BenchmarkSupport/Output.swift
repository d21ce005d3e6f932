import Foundation

/// A line on standard output, written at once even into a pipe (`Tools/benchmark.sh` tees it).
public func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// A duration in seconds.
public func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// A figure with a fixed number of decimals.
public func format(_ value: Double, digits: Int = 0) -> String {
    String(format: "%.\(digits)f", value)
}

/// The value at fraction `p` (0.99 for p99) of values sorted in increasing order; 0 when there are none.
public func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
}
