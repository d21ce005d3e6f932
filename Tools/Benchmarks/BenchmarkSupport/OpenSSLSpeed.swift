import Foundation

/// OpenSSL's own Ed25519 verification rate on this machine, now: the ceiling the benchmarks compare
/// the signature-bound paths with, measured in the same run.
public enum OpenSSLSpeed {
    /// Runs `openssl speed [-multi N] -seconds S -mr ed25519` and reads the verifications per second of
    /// all its processes together (the machine-readable line `+F6:…:sign/s:verify/s`; with `-multi`, the
    /// last such line sums the processes). Nil when openssl cannot be run.
    ///
    /// Started with popen from the calling thread: openssl times its runs with SIGALRM, which must not be
    /// blocked in the child as it can be when spawned from another thread of this process.
    public static func ed25519VerifyRate(processes: Int = 1, seconds: Int) -> Double? {
        let multi = processes > 1 ? "-multi \(processes) " : ""
        guard let pipe = popen("openssl speed \(multi)-seconds \(seconds) -mr ed25519 2>/dev/null", "r") else {
            return nil
        }
        var output = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, pipe)
            if count <= 0 { break }
            output += buffer[0..<count]
        }
        pclose(pipe)
        let rates = String(decoding: output, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("+F6:") }
        return rates.last.flatMap { $0.split(separator: ":").last }.flatMap { Double($0) }
    }
}
