// The model's hot path on one core: parse an event from bytes, canonicalise, hash, verify its
// Ed25519 signature. Compared, in the same run, with `openssl speed ed25519` (bare verifications).
// Last, the bytes of a push answer for a 200-event batch, with the receipt proof of each form
// (``PushAnswerBytes``): counted, not timed. Then what an enrolled device costs in memory, in the server's
// reference data and in the fold's (``EnrolledDeviceMemory``).
//
//     swift run -c release --scratch-path .build-model model-benchmark [seconds per round] [rounds] [devices]

import BenchmarkSupport
import FieldSyncModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let seconds = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 2
let rounds = CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 5
/// How many enrolled devices the memory of one is measured over (a national day's roster is about 181,000).
let enrolledDevices = CommandLine.arguments.dropFirst(3).first.flatMap { Int($0) } ?? 50_000
let sample = BenchmarkSample.make(devices: 40, eventsPerDevice: 50)
print(
    "model-benchmark: \(sample.lines.count) events from 40 devices, mean \(sample.meanBytes) bytes; "
        + "\(rounds) rounds of \(seconds) s, one core")

// The machine is shared, so each figure is taken in several rounds, alternating our path and
// `openssl speed`, and the best round of each is compared (the medians are shown too).
var fullRounds = [Measure.Rate]()
var opensslRounds = [Double]()
var parser = EventParser()
for _ in 0..<rounds {
    // Our full path: bytes → parse → canonical form → SHA-256 → Ed25519 verify.
    fullRounds.append(
        Measure.rate(seconds: seconds) { index in
            let line = sample.lines[index % sample.lines.count]
            let event = try! parser.parse(line)
            precondition(event.isSignatureValid(by: sample.keys[event.device]!), "a sample event failed to verify")
        })
    if let rate = OpenSSLSpeed.ed25519VerifyRate(seconds: seconds) { opensslRounds.append(rate) }
}
// The parts, to see where the time goes.
let parseOnly = Measure.rate(seconds: seconds) { index in
    _ = try! parser.parse(sample.lines[index % sample.lines.count])
}
let events = sample.lines.map { try! parser.parse($0) }
let verifyOnly = Measure.rate(seconds: seconds) { index in
    let event = events[index % events.count]
    precondition(event.isSignatureValid(by: sample.keys[event.device]!))
}

func show(_ label: String, _ value: Double, _ unit: String) {
    let padded = label + String(repeating: " ", count: max(0, 46 - label.count))
    let text = String(Int(value.rounded()))
    print(padded + String(repeating: " ", count: max(0, 8 - text.count)) + text + " " + unit)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

let fullCPU = fullRounds.map(\.perCPUSecond)
print("rounds, full path (events/s, CPU time): " + fullCPU.map { String(Int($0)) }.joined(separator: ", "))
print("rounds, openssl verify/s:               " + opensslRounds.map { String(Int($0)) }.joined(separator: ", "))
show("parse + canonical + hash + verify, best", fullCPU.max() ?? 0, "events/s")
show("  median", median(fullCPU), "events/s")
show("  parse + canonical + hash only", parseOnly.perCPUSecond, "events/s")
show("  Ed25519 verify only (model API)", verifyOnly.perCPUSecond, "verifications/s")
if let best = opensslRounds.max() {
    show("openssl speed -seconds \(seconds) ed25519, best", best, "verify/s")
    show("  median", median(opensslRounds), "verify/s")
    let ratio = (fullCPU.max() ?? 0) / best
    let medianRatio = median(fullCPU) / median(opensslRounds)
    print("ratio, full path / openssl verify: best \(rounded(ratio)), median \(rounded(medianRatio)) (goal ≥ 0.8)")
    let paired = zip(fullCPU, opensslRounds).map { rounded($0 / $1) }
    print("ratio in each round (measured back to back): " + paired.joined(separator: ", "))
} else {
    print("openssl speed: not available, no ratio")
}

func rounded(_ value: Double) -> String { String(Double(Int(value * 1000)) / 1000) }

// The push answer's bytes for a batch of 200 events, its receipt proof an inclusion proof per event (before)
// or one range proof (after).
for size in [1_000, 100_000, 1_000_000] as [Int64] {
    let bytes = PushAnswerBytes(batch: 200, logSize: size)
    print(
        "push answer, 200-event batch, log of \(size): before \(bytes.answerBefore) bytes (proof"
            + " \(bytes.proofBefore)), after \(bytes.answerAfter) bytes (proof \(bytes.proofAfter))")
}

// An enrolled device's memory, in the server's reference data and the fold's, and once it has verified.
let enrolled = EnrolledDeviceMemory.measure(devices: enrolledDevices)
print(
    "enrolled and assigned device: \(Int(enrolled.bytesInServersCopy.rounded())) bytes in the server's reference"
        + " data, \(Int(enrolled.bytesInFoldsCopy.rounded())) in the fold's (RSS growth over \(enrolled.devices)"
        + " devices); each then verifying a signature added \(enrolled.verificationBytes / 1_048_576) MiB in all")

/// Realistic observations from many devices, each event as the bytes a client sends.
struct BenchmarkSample {
    var lines: [[UInt8]]
    var keys: [DeviceID: PublicKey]

    var meanBytes: Int { lines.map(\.count).reduce(0, +) / max(1, lines.count) }

    static func make(devices: Int, eventsPerDevice: Int) -> BenchmarkSample {
        var random = SplitMix64(seed: 42)
        let demo = KarachiDemo()
        let reference = demo.referenceData
        var lines = [[UInt8]]()
        var keys = [DeviceID: PublicKey]()
        for deviceIndex in 0..<devices {
            let key = try! SigningKey(
                rawRepresentation: (0..<32).map { UInt8(truncatingIfNeeded: $0 * 7 + deviceIndex) })
            keys[key.publicKey.deviceID] = key.publicKey
            var chain = DeviceChain(device: key.publicKey.deviceID)
            let station = demo.stations[random.next(below: demo.stations.count)]
            for index in 0..<eventsPerDevice {
                let minutes = Int64(8 * 60 + index * 10)
                let time = ObservedTime(
                    Timestamp(rfc3339: "2024-02-08T00:00:00+05:00")!.adding(minutes: minutes), offsetMinutes: 300)
                let payload: Payload
                switch index % 6 {
                case 0:
                    payload = .turnoutCounted(
                        TurnoutCount(asOf: time, votesCast: 10 * index, male: 6 * index, female: 4 * index))
                case 1:
                    let candidates = reference.candidatesByConstituency[station.national]!
                    var votes = [CandidateID: Int]()
                    for candidate in candidates { votes[candidate] = random.next(below: 200) }
                    let valid = votes.values.reduce(0, +)
                    payload = .resultReported(
                        Form45Result(
                            constituency: station.national, registeredVoters: station.voters.total + valid,
                            votes: votes,
                            rejected: 12, totalCast: valid + 12, photoSha256: SHA256Digest.hash([UInt8(index)])))
                case 2:
                    payload = .incidentObserved(
                        Incident(
                            kind: .votersTurnedAway, severity: .medium,
                            description: "Voters without a CNIC copy were sent away at the gate; about twenty people.",
                            occurredAt: time))
                case 3:
                    payload = .agentsObserved(
                        PollingAgents(agents: ["MQM-P": .present, "PPP": .present, "JI": .absent]))
                case 4:
                    payload = .stationOpened(StationOpened(openedAt: time, materialsComplete: true, staffPresent: true))
                default:
                    payload = .stationClosed(StationClosed(closedAt: time, votersInQueue: 25))
                }
                let draft = EventDraft(payload: payload, subject: station.code.rawValue, time: time)
                let event = try! chain.sign(draft, key: key)
                lines.append(event.canonicalBytes)
            }
        }
        return BenchmarkSample(lines: lines, keys: keys)
    }
}

enum Measure {
    struct Rate {
        var perCPUSecond: Double
        var perWallSecond: Double
    }

    static func now(_ clock: clockid_t) -> Double {
        var spec = timespec()
        clock_gettime(clock, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Runs `body` over and over for about `seconds` of CPU time, checking the clock every 64 calls.
    static func rate(seconds: Int, _ body: (Int) -> Void) -> Rate {
        for index in 0..<200 { body(index) }
        let cpuStart = now(CLOCK_PROCESS_CPUTIME_ID)
        let wallStart = now(CLOCK_MONOTONIC)
        var count = 0
        while true {
            for _ in 0..<64 {
                body(count)
                count += 1
            }
            let cpu = now(CLOCK_PROCESS_CPUTIME_ID) - cpuStart
            if cpu >= Double(seconds) {
                return Rate(
                    perCPUSecond: Double(count) / cpu, perWallSecond: Double(count) / (now(CLOCK_MONOTONIC) - wallStart)
                )
            }
        }
    }
}
