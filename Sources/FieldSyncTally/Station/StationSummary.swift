import FieldSyncModel

/// What a seat's document says of one of its polling stations: the station's document without its
/// history. The same member names as the station's own document (``StationTally``), keeping only what a
/// seat's page, its photo counts and its official comparison read: the station's definition, opening and
/// closing, the latest turnout, each seat's status and counted figures (each report by device and photo
/// only), the devices held, the incidents, the official Form-45s and the flags. Left out: the parties'
/// agents, the turnout history, the corrections, the reports' figures, and every `events` member (the
/// evidence, which the station's document keeps) but those of the official comparison.
public struct StationSummary: Hashable, Sendable, TallyDocument, CanonicalPart {
    public let tally: StationTally

    public init(_ tally: StationTally) {
        self.tally = tally
    }

    func write(to writer: inout CanonicalWriter) {
        let tally = tally
        writer.leavesOutEvents = true
        defer { writer.leavesOutEvents = false }
        writer.object { w in
            w.member("closing", tally.closing)
            w.member("defined", tally.station != nil)
            w.member("flags") { $0.array(tally.flags) { $1.write(to: &$0) } }
            w.member("held") { w in
                w.array(tally.held) { w, held in
                    w.object { w in
                        w.member("device", held.device.rawValue)
                        w.member("reason", held.reason.rawValue)
                        w.member("review", held.review)
                    }
                }
            }
            w.member("incidents") { $0.array(tally.incidents) { $1.write(to: &$0) } }
            w.member("name", tally.station?.name)
            w.member("national", tally.station?.national.rawValue)
            w.member("official") { w in
                w.leavesOutEvents = false
                w.array(tally.official) { $1.write(to: &$0) }
                w.leavesOutEvents = true
            }
            w.member("opening", tally.opening)
            w.member("provincial", tally.station?.provincial?.rawValue)
            w.member("registeredVoters", tally.station?.voters.total)
            w.member("results") { w in
                w.array(tally.results) { w, result in
                    w.object { w in
                        w.member("constituency", result.constituency.rawValue)
                        w.member("counted", result.counted)
                        w.member("devices", result.reports.count)
                        w.member("held", result.held)
                        w.member("range", result.range)
                        w.member("reports") { w in
                            w.array(result.reports) { w, report in
                                w.object { w in
                                    w.member("device", report.device.rawValue)
                                    w.member("photo", report.photo?.hex)
                                }
                            }
                        }
                        w.member("status", result.status.rawValue)
                        w.member("verification", result.verification)
                    }
                }
            }
            w.member("station", tally.code.rawValue)
            w.member("turnout") { w in
                w.object { w in
                    w.member("basisPoints", tally.latestTurnout?.basisPoints)
                    w.member("latest", tally.latestTurnout)
                }
            }
        }
    }

    /// The summary as a JSON document in canonical form; the same bytes for the same set of events.
    public var canonicalBytes: [UInt8] {
        CanonicalWriter.document(capacity: 1024 + 512 * tally.incidents.count) { write(to: &$0) }
    }
}
