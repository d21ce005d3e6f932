import FieldSyncModel

extension ConstituencyAggregate {
    /// The sums as one canonical JSON document: how a projector keeps a seat's roll-up input beside its
    /// tally, to start again without folding the log. ``init(canonicalBytes:)`` reads it back.
    var canonicalBytes: [UInt8] {
        CanonicalWriter.document(capacity: 4096) { w in
            w.object { w in
                w.member("countedRegistered", countedRegistered)
                w.member("disputedCast") { $0.pair(disputedCast) }
                w.member("disputedEvents", disputedEvents.sorted())
                w.name("disputedMaximum")
                w.votes(disputedMaximum)
                w.name("disputedMinimum")
                w.votes(disputedMinimum)
                w.member("disputedRejected") { $0.pair(disputedRejected) }
                w.member("disputedStations") { w in
                    w.array(disputedStations.sorted()) { w, station in w.value(station.rawValue) }
                }
                w.member("hourlyTurnout") { w in
                    w.array(hourlyTurnout.steps.sorted { $0.key < $1.key }) { w, step in
                        w.array { w in
                            w.value(step.key.microseconds)
                            w.value(step.value.points)
                            w.value(step.value.votesCast)
                            w.value(step.value.stations)
                            w.value(step.value.registeredVoters)
                        }
                    }
                }
                w.member("liveCast", liveCast)
                w.member("liveRegistered", liveRegistered)
                w.member("liveStations", liveStations)
                w.member("officialCast", officialCast)
                w.member("officialDifferences") { w in
                    w.object { w in
                        for station in officialDifferences.keys.sorted(by: {
                            CanonicalJSON.precedesInUTF16Order($0.rawValue, $1.rawValue)
                        }) {
                            w.name(station.rawValue)
                            w.array(officialDifferences[station]!) { $0.value($1.jsonValue) }
                        }
                    }
                }
                w.member("officialDiffering", officialDiffering)
                w.member("officialEvents", officialEvents.sorted())
                w.member("officialRejected", officialRejected)
                w.member("officialStations", officialStations)
                w.name("officialVotes")
                w.votes(officialVotes)
                w.member("registered", registered)
                w.member("rejected", rejected)
                w.member("rejectingEvents", rejectingEvents.sorted())
                w.member("stationFlags") { w in
                    w.counts(Dictionary(uniqueKeysWithValues: stationFlags.map { ($0.key.rawValue, $0.value) }))
                }
                w.member("stations", stations)
                w.member("totalCast", totalCast)
                w.name("verifiedVotes")
                w.votes(verifiedVotes)
                w.name("votes")
                w.votes(votes)
            }
        }
    }

    /// The sums that ``canonicalBytes`` wrote.
    init(canonicalBytes bytes: [UInt8]) throws(TallyStateError) {
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch { throw TallyStateError("not JSON: \(error)") }
        let reader = TallyStateReader(document, what: "a seat's sums")
        self.init()
        countedRegistered = try reader.integer("countedRegistered")
        disputedCast = try reader.pair("disputedCast")
        disputedEvents = Set(try reader.eventIDs("disputedEvents"))
        disputedMaximum = try reader.votes("disputedMaximum")
        disputedMinimum = try reader.votes("disputedMinimum")
        disputedRejected = try reader.pair("disputedRejected")
        disputedStations = Set(try reader.stations("disputedStations"))
        hourlyTurnout = HourlyTurnout(steps: try reader.hourlySteps("hourlyTurnout"))
        liveCast = try reader.integer("liveCast")
        liveRegistered = try reader.integer("liveRegistered")
        liveStations = try reader.integer("liveStations")
        officialCast = try reader.integer("officialCast")
        officialDiffering = try reader.integer("officialDiffering")
        officialDifferences = try reader.officialDifferences("officialDifferences")
        officialEvents = Set(try reader.eventIDs("officialEvents"))
        officialRejected = try reader.integer("officialRejected")
        officialStations = try reader.integer("officialStations")
        officialVotes = try reader.votes("officialVotes")
        registered = try reader.integer("registered")
        rejected = try reader.integer("rejected")
        rejectingEvents = Set(try reader.eventIDs("rejectingEvents"))
        stationFlags = try reader.flagCounts("stationFlags")
        stations = try reader.stationCounts("stations")
        totalCast = try reader.integer("totalCast")
        verifiedVotes = try reader.votes("verifiedVotes")
        votes = try reader.votes("votes")
    }
}

extension CanonicalWriter {
    /// `[minimum, maximum]`, whichever is larger.
    fileprivate mutating func pair(_ pair: (minimum: Int, maximum: Int)) {
        array { w in
            w.value(pair.minimum)
            w.value(pair.maximum)
        }
    }
}
