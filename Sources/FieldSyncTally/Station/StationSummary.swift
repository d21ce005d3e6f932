import FieldSyncModel

/// What a seat's answer says of one of its polling stations: what a seat's page reads of the station's
/// document (``StationTally``), under the same member names, and no more. Kept: the station's definition,
/// when it opened and closed, the latest turnout count's figure and time, the seat's own result (its status,
/// counted figures and, when disputed, the range of its ballots, not of each candidate's votes; each report
/// by device and photo only, which the seat's photo counts and official comparison name) and its official
/// Form-45, the status of each of the station's results (a seat's page shows each station's status in both
/// its seats), the devices held, the incidents (for the incident feed, without their photos), and the flags
/// as a count per flag code. Everything else, the evidence (`events`) and the other seat's figures first, is
/// in the station's own document, which is the station's page.
///
/// One summary per station and seat: the NA and the provincial seat's answers each carry their own, so
/// that neither carries the other's figures.
public struct StationSummary: Hashable, Sendable, TallyDocument, CanonicalPart {
    public let tally: StationTally
    /// The seat whose answer carries the summary: its `results` and `official` are this seat's only.
    public let seat: ConstituencyCode

    public init(_ tally: StationTally, seat: ConstituencyCode) {
        self.tally = tally
        self.seat = seat
    }

    /// The key of the summary's row (``TallyRow/Kind/stationSummary``): the seat's code, `/`, the station's
    /// code (`NA-248/NA-248-017`), so that the seat's rows are read by their keys.
    public static func key(seat: ConstituencyCode, station: StationCode) -> String {
        seat.rawValue + "/" + station.rawValue
    }

    /// The station's code of a summary's row key (``key(seat:station:)``); nil for a key of another shape.
    public static func station(ofKey key: String) -> Substring? {
        key.firstIndex(of: "/").map { key[key.index(after: $0)...] }
    }

    func write(to writer: inout CanonicalWriter) {
        let tally = tally
        let seat = seat
        writer.object { w in
            w.member("closing") { w in
                guard let closing = tally.closing else { return w.null() }
                w.object { $0.member("closedAt", closing.closedAt.text) }
            }
            w.member("defined", tally.station != nil)
            w.member("flags") { w in
                var counts: [String: Int] = [:]
                for flag in tally.flags { counts[flag.code.rawValue, default: 0] += 1 }
                w.counts(counts)
            }
            w.member("held") { w in
                w.array(tally.held) { w, held in
                    w.object { w in
                        w.member("device", held.device.rawValue)
                        w.member("reason", held.reason.rawValue)
                        w.member("review", held.review)
                    }
                }
            }
            w.member("incidents") { w in
                w.array(tally.incidents) { w, report in
                    w.object { w in
                        w.member("description", report.incident.description)
                        w.member("device", report.device.rawValue)
                        w.member("kind", report.incident.kind.rawValue)
                        w.member("occurredAt", report.incident.occurredAt?.text)
                        w.member("severity", report.incident.severity.rawValue)
                        w.member("time", report.time.text)
                    }
                }
            }
            w.member("name", tally.station?.name)
            w.member("national", tally.station?.national.rawValue)
            w.member("official") { $0.array(tally.official.filter { $0.constituency == seat }) { $1.write(to: &$0) } }
            w.member("opening") { w in
                guard let opening = tally.opening else { return w.null() }
                w.object { w in
                    w.member("minutesLate", opening.minutesLate)
                    w.member("openedAt", opening.openedAt.text)
                }
            }
            w.member("provincial", tally.station?.provincial?.rawValue)
            w.member("registeredVoters", tally.station?.voters.total)
            w.member("results") { w in
                w.array(tally.results.filter { $0.constituency == seat }) { w, result in
                    w.object { w in
                        w.member("constituency", result.constituency.rawValue)
                        w.member("counted", result.counted)
                        w.member("devices", result.reports.count)
                        w.member("held", result.held)
                        w.member("range") { w in
                            guard let range = result.range else { return w.null() }
                            w.object { w in
                                w.member("rejected") { $0.range(range.rejected) }
                                w.member("totalCast") { $0.range(range.totalCast) }
                            }
                        }
                        w.member("reports") { w in
                            w.array(result.reports) { w, report in
                                w.object { w in
                                    w.member("device", report.device.rawValue)
                                    w.member("photo", report.photo?.hex)
                                }
                            }
                        }
                        w.member("status", result.status.rawValue)
                    }
                }
            }
            w.member("station", tally.code.rawValue)
            w.member("statuses") { w in
                w.object { w in
                    let results = tally.results.sorted {
                        CanonicalJSON.precedesInUTF16Order($0.constituency.rawValue, $1.constituency.rawValue)
                    }
                    for result in results {
                        w.name(result.constituency.rawValue)
                        w.value(result.status.rawValue)
                    }
                }
            }
            w.member("turnout") { w in
                w.object { w in
                    w.member("basisPoints", tally.latestTurnout?.basisPoints)
                    w.member("latest") { w in
                        guard let latest = tally.latestTurnout else { return w.null() }
                        w.object { w in
                            w.member("asOf", latest.asOf.text)
                            w.member("votesCast", latest.votesCast)
                        }
                    }
                }
            }
        }
    }

    /// The summary as a JSON document in canonical form; the same bytes for the same set of events.
    public var canonicalBytes: [UInt8] {
        CanonicalWriter.document(capacity: 1024 + 256 * tally.incidents.count) { write(to: &$0) }
    }
}
