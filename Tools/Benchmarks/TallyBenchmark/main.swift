// The tally fold in memory: a generated polling day over Karachi's 22 NA seats (KarachiDemo
// reference data, 5,342 stations, and the 47 PS seats inside them), folded in batches as the
// projector would, timing the fold and, apart, the rendering of every changed row to canonical JSON.
// Last, the seat answers (`GET /v1/tallies/{seat}`) of the day the memory benchmark pushes, folded here:
// the largest and the total, and where the largest's bytes go (``SeatAnswerSizes``).
//
//     swift run -c release tally-benchmark [events, default 1000000] [batch size, default 1000]
//
// Events are built without signatures (UnsignedChain: hashed and chained, zero signature): the fold
// never checks signatures, and signing a million events would time OpenSSL, not the fold.

import FieldSyncModel
import FieldSyncTally

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let target = arguments.first ?? 1_000_000
let batchSize = arguments.dropFirst().first ?? 1000
let clock = ContinuousClock()

// About 2 devices per station, each with ~7 events besides its turnout counts.
let demo = KarachiDemo()
var options = ElectionDay.Options()
options.seed = 8
options.devicesPerStation = 1...3
options.turnoutCounts = max(1, target / (demo.stations.count * 2) - 4)
options.copyingMistakes = 0.08
options.mistakesCorrected = 0.6
options.strayCorrections = 0.01
options.lateReports = 0.05
options.lowCounts = 0.01

let generationStart = clock.now
let day = ElectionDay(demo: demo, options: options)
let events = Array(day.syncOrder(seed: 1).prefix(target))
let generation = clock.now - generationStart
print(
    "tally-benchmark: \(events.count) events (\(day.devices.count) devices, \(demo.stations.count) stations, "
        + "\(options.turnoutCounts) turnout counts per device), generated in \(seconds(generation)) s")

// Folded in batches, as the projector does: fold, then render the changed rows.
var tally = ElectionTally()
var foldTime = Duration.zero
var renderTime = Duration.zero
var rows = 0
var bytes = 0
var start = 0
while start < events.count {
    let end = min(events.count, start + batchSize)
    let foldStart = clock.now
    let changes = tally.apply(Array(events[start..<end]))
    let renderStart = clock.now
    for row in tally.rows(for: changes) {
        rows += 1
        bytes += row.canonicalBytes?.count ?? 0
    }
    let renderEnd = clock.now
    foldTime += renderStart - foldStart
    renderTime += renderEnd - renderStart
    start = end
}
let batches = (events.count + batchSize - 1) / batchSize
print("batches of \(batchSize) (\(batches) batches):")
print("  fold:                   \(seconds(foldTime)) s, \(rate(events.count, foldTime)) events/s")
print(
    "  render changed rows:    \(seconds(renderTime)) s for \(rows) rows (\(bytes / 1_000_000) MB of canonical JSON), "
        + "\(rate(rows, renderTime)) rows/s")
print("  fold + render:          \(rate(events.count, foldTime + renderTime)) events/s")

// One fold from scratch (an auditor's replay, a rebuild): one batch.
let replayStart = clock.now
let replayed = ElectionTally(replaying: events)
let replay = clock.now - replayStart
print("replay in one batch:      \(seconds(replay)) s, \(rate(events.count, replay)) events/s")

// Every row rendered once.
let allStart = clock.now
var allRows = 0
var allBytes = 0
for row in replayed.rows(for: replayed.allChanges) {
    allRows += 1
    allBytes += row.canonicalBytes?.count ?? 0
}
let all = clock.now - allStart
print("render every row once:    \(seconds(all)) s for \(allRows) rows (\(allBytes / 1_000_000) MB)")
precondition(
    CanonicalJSON.bytes(replayed.city.jsonValue) == CanonicalJSON.bytes(tally.city.jsonValue),
    "batched and one-batch folds disagree")

let city = tally.city
print(
    "city: NA stations \(city.national.stations.total), counted \(city.national.stations.counted), "
        + "disputed \(city.national.stations.disputed), unreported \(city.national.stations.unreported); "
        + "NA turnout \(Double(city.national.turnout.basisPoints ?? 0) / 100)%; seats led "
        + city.national.seatsLed.countingBackedIndependents.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        .joined(separator: ", "))
print(
    "flags: " + city.flags.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", "))
print("peak memory: \(peakMegabytes()) MB")

// The seat answers at this many events, for the day the memory benchmark pushes (the same options, and as
// it pushes: each device's whole chain, device after device, an enrollment apiece, until the log holds
// `target` events), folded here in one batch: what `GET /v1/tallies/{seat}` answers, without its seven
// minutes. The fold is a function of the set of events: their order does not matter.
var memoryDayOptions = ElectionDay.Options()
memoryDayOptions.turnoutCounts = max(1, Int((Double(target) / Double(demo.stations.count * 2)).rounded(.up)) - 4)
memoryDayOptions.strayCorrections = 0
let memoryDay = ElectionDay(demo: demo, options: memoryDayOptions)
var seatEvents = memoryDay.reference
var room = target - seatEvents.count
for chain in memoryDay.devices where room >= 2 && !chain.isEmpty {
    var count = min(chain.count, room - 1)
    if room - count - 1 == 1 && count > 1 { count -= 1 }
    seatEvents += chain.prefix(count)
    room -= count + 1
}
let seats = SeatAnswerSizes(
    ElectionTally(
        replaying: seatEvents.enumerated().map { position, event in
            StoredEvent(event: event, position: Int64(position + 1), received: event.time.instant, chain: .zero)
        }))
if let largest = seats.largest {
    print(
        "seat documents: the largest \(format1(Double(largest.bytes) / 1000)) KB (\(largest.seat)), all "
            + "\(seats.bytes.count) \(format1(Double(seats.total) / 1_048_576)) MiB, as GET /v1/tallies/{constituency} "
            + "answers them at \(target - room) events of the memory benchmark's day; goal: the largest ≤ 500 KB")
    print(
        "  the largest's station summaries by member: "
            + seats.largestByMember.prefix(12).map { "\($0.member) \(format1(Double($0.bytes) / 1000)) KB" }
            .joined(separator: ", "))
}

/// `value` with one decimal.
func format1(_ value: Double) -> String {
    String(Double((value * 10).rounded()) / 10)
}

func seconds(_ duration: Duration) -> String {
    let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    return String(Double(Int(value * 1000)) / 1000)
}

func rate(_ count: Int, _ duration: Duration) -> Int {
    let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    return value > 0 ? Int(Double(count) / value) : 0
}

/// The peak resident set size, from /proc (Linux only).
func peakMegabytes() -> String {
    guard let file = fopen("/proc/self/status", "r") else { return "?" }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("VmHWM:") {
            let kilobytes = text.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return String(kilobytes / 1024)
        }
    }
    return "?"
}
