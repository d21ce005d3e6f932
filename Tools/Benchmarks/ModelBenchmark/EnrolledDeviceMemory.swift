import BenchmarkSupport
import FieldSyncModel
import Foundation

/// What an enrolled device costs in memory: the reference data's entry for it (its key, its reporter, its
/// role), and what verifying its signatures adds. A national day enrolls about 181,000 devices, held in
/// each of the server's copies of the reference data.
///
/// Measured as the growth of this process's resident memory (``ProcessMemory/resident``) while
/// `devices` enrollments are folded into reference data, then while each device's signature is verified
/// once by the key the reference data holds.
struct EnrolledDeviceMemory {
    var devices: Int
    /// Bytes of resident memory an enrolled device adds to the reference data.
    var bytesPerDevice: Double
    /// Bytes of resident memory the verifications added, all devices together.
    var verificationBytes: Int

    static func measure(devices: Int) -> EnrolledDeviceMemory {
        let message = SHA256Digest.hash(Array("an event hash".utf8))
        // The keys and signatures are made first, and are not counted.
        var keys = [[UInt8]]()
        var signatures = [[UInt8]]()
        keys.reserveCapacity(devices)
        signatures.reserveCapacity(devices)
        for index in 0..<devices {
            var seed = [UInt8](repeating: 0, count: 32)
            withUnsafeBytes(of: UInt64(index + 1).littleEndian) { seed.replaceSubrange(0..<8, with: $0) }
            let key = try! SigningKey(rawRepresentation: seed)
            keys.append(key.publicKey.rawRepresentation)
            signatures.append(key.signature(for: message))
        }
        let before = residentBytes()
        var reference = ReferenceData()
        for (index, raw) in keys.enumerated() {
            let enrollment = DeviceEnrollment(
                publicKey: try! PublicKey(rawRepresentation: raw), reporter: "Reporter \(index) of a station",
                role: .reporter)
            reference.apply(.deviceEnrolled(enrollment))
        }
        let enrolled = residentBytes()
        for (raw, signature) in zip(keys, signatures) {
            let device = try! PublicKey(rawRepresentation: raw).deviceID
            precondition(reference.publicKey(of: device)!.isValidSignature(signature, for: message))
        }
        let verified = residentBytes()
        precondition(reference.devices.count == devices, "every device is enrolled")
        return EnrolledDeviceMemory(
            devices: devices, bytesPerDevice: Double(enrolled - before) / Double(devices),
            verificationBytes: verified - enrolled)
    }

    /// This process's resident memory, in bytes.
    private static func residentBytes() -> Int {
        (ProcessMemory(pid: getpid())?.resident ?? 0) * 1024
    }
}
