import FieldSyncModel

/// The seats of an area summed: the whole city, or one district. Each assembly is summed on its own: the
/// National Assembly's seats, and the seats of each provincial assembly apart (a seat of the Punjab is
/// never added to one of Sindh); flags are counted over the area's stations and seats. Seats the election
/// postponed are left out, and listed: not polled that day, their stations are not waiting for reports.
public struct RollUpTally: Hashable, Sendable, TallyDocument, CanonicalPart {
    /// The district; nil for the city (every defined seat).
    public let district: String?
    /// The election the log defines, for the city; nil for a district, and while no election is defined.
    public let election: ElectionHeading?
    public let national: AssemblyRollUp
    /// Each provincial assembly with a seat summed here, by its seats' prefix.
    public let provincial: [SeatPrefix: AssemblyRollUp]
    /// The area's seats the election postponed, left out of every sum, in code order.
    public let postponed: [ConstituencyCode]
    /// Flags by code: the stations' (each station once, through its NA seat) and the seats' own.
    public let flags: [FlagCode: Int]

    init(district: String?, seats: some Sequence<ConstituencyTally>, reference: ReferenceData) {
        var sums = RollUpSums()
        var postponed = [ConstituencyCode]()
        let postponedSeats = reference.election?.postponed ?? []
        for tally in seats {
            if postponedSeats.contains(tally.code) {
                postponed.append(tally.code)
                continue
            }
            sums.add(tally, reference: reference)
        }
        self.init(district: district, sums: sums, postponed: postponed, reference: reference)
    }

    /// The roll-up of seats already summed, leaving out `postponed`.
    init(district: String?, sums: RollUpSums, postponed: [ConstituencyCode], reference: ReferenceData) {
        self.district = district
        self.election = district == nil ? reference.election.map(ElectionHeading.init) : nil
        self.national = sums.national
        self.provincial = sums.provincial
        self.postponed = postponed.sorted()
        self.flags = sums.flags
    }

    func write(to writer: inout CanonicalWriter) {
        var counts = [String: Int]()
        for (code, count) in flags { counts[code.rawValue] = count }
        writer.object { w in
            w.member("area", district == nil ? "city" : "district")
            w.member("district", district)
            w.member("election", election)
            w.name("flags")
            w.counts(counts)
            w.member("national", national)
            w.member("postponed") { $0.array(postponed) { $0.value($1.rawValue) } }
            w.member("provincial") { w in
                w.object { w in
                    // Two ASCII capitals each: code point order is the canonical order.
                    for prefix in provincial.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
                        w.name(prefix.rawValue)
                        provincial[prefix]!.write(to: &w)
                    }
                }
            }
        }
    }

    /// The tally as a JSON document in canonical form; the same bytes for the same set of events.
    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }
}

/// The roll-up of every defined seat.
public typealias CityTally = RollUpTally
/// The roll-up of one district's seats.
public typealias DistrictTally = RollUpTally
