import BenchmarkSupport
import FieldSyncModel
import Foundation

/// What an enrolled reporter's device costs in memory, in each of the server's two copies of the reference
/// data: the server's own (``ReferenceData/DevicesKept/all``: its key, its reporter, its role, the station it
/// is assigned to), which checks signatures, and the fold's (``ReferenceData/DevicesKept/staff``: its
/// assignment only); and what verifying its signatures adds. A national day enrolls about 181,000 devices.
///
/// Measured as the growth of this process's resident memory (``ProcessMemory/resident``) while `devices`
/// enrollments, each with an assignment to a station of its own, are folded into each copy in turn, then
/// while each device's signature is verified once by the key the server's copy holds.
struct EnrolledDeviceMemory {
    var devices: Int
    /// Bytes of resident memory an enrolled and assigned device adds to the server's copy.
    var bytesInServersCopy: Double
    /// Bytes of resident memory an enrolled and assigned reporter's device adds to the fold's copy.
    var bytesInFoldsCopy: Double
    /// Bytes of resident memory the verifications added, all devices together.
    var verificationBytes: Int

    static func measure(devices: Int) -> EnrolledDeviceMemory {
        let message = SHA256Digest.hash(Array("an event hash".utf8))
        // The events and signatures are made first, and are not counted.
        var events = [Payload]()
        var signed = [(PublicKey, [UInt8])]()
        events.reserveCapacity(2 * devices)
        signed.reserveCapacity(devices)
        for index in 0..<devices {
            var seed = [UInt8](repeating: 0, count: 32)
            withUnsafeBytes(of: UInt64(index + 1).littleEndian) { seed.replaceSubrange(0..<8, with: $0) }
            let key = try! SigningKey(rawRepresentation: seed)
            let station = StationCode(national: ConstituencyCode("NA-\(1 + index % 266)")!, number: 1 + index / 266)
            events.append(
                .deviceEnrolled(
                    DeviceEnrollment(
                        publicKey: key.publicKey, reporter: "Reporter \(index) of a station", role: .reporter)
                ))
            events.append(
                .deviceAssigned(
                    StationAssignment(device: key.publicKey.deviceID, stations: [station], constituencies: [])))
            signed.append((key.publicKey, key.signature(for: message)))
        }
        func growth(keeping kept: ReferenceData.DevicesKept) -> (ReferenceData, Int) {
            let before = residentBytes()
            var reference = ReferenceData(keeping: kept)
            for event in events { reference.apply(event) }
            return (reference, residentBytes() - before)
        }
        let (servers, serversGrowth) = growth(keeping: .all)
        let (folds, foldsGrowth) = growth(keeping: .staff)
        let before = residentBytes()
        for (key, signature) in signed {
            precondition(servers.publicKey(of: key.deviceID)!.isValidSignature(signature, for: message))
        }
        let verified = residentBytes()
        precondition(servers.devices.count == devices && servers.coverage.count == devices, "every device is held")
        precondition(folds.devices.isEmpty && folds.coverage.count == devices, "the fold holds assignments only")
        return EnrolledDeviceMemory(
            devices: devices, bytesInServersCopy: Double(serversGrowth) / Double(devices),
            bytesInFoldsCopy: Double(foldsGrowth) / Double(devices), verificationBytes: verified - before)
    }

    /// This process's resident memory, in bytes.
    private static func residentBytes() -> Int {
        (ProcessMemory(pid: getpid())?.resident ?? 0) * 1024
    }
}
