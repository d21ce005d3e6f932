import FieldSyncModel

/// The fold from events to tallies: stored events in, station, seat, district and city tallies out.
///
/// The tallies are a pure function of the set of events applied: the same events in any order (as
/// long as each device's own events keep their order, as the server guarantees) give the same
/// tallies, byte for byte. The state is facts keyed by event id and station, and sums of per-station
/// contributions; views are derived from them, never "last applied wins". The reference data comes
/// from the reference events in the same log.
///
/// Applying a batch re-derives only what the batch touched and says what changed
/// (``TallyChanges``), so a projector can write just those rows; a whole log read page by page is
/// folded as one batch through ``TallyReplay``. Plain Swift with no I/O: the
/// server's projector and an auditor's offline replay run the same code.
public struct ElectionTally: Sendable {
    /// The reference data of the events applied, the election among them, whose calendar says when
    /// polling opens (for minutes late). Of the devices it keeps the staff's only (``ReferenceData/DevicesKept``):
    /// the fold checks no signature, and names only the editors who published official figures.
    public internal(set) var reference = ReferenceData(keeping: .staff)
    /// The highest position applied; 0 before any.
    public internal(set) var lastPosition: Int64 = 0

    /// Every event applied, by id.
    var index: [EventID: EventLocation] = [:]
    /// Observations by station.
    var facts: [StationCode: StationFacts] = [:]
    /// The corrections naming each event id, to re-derive their station when that event arrives.
    var correctionsByTarget: [EventID: [EventID]] = [:]
    /// The stations each device observed, to re-derive them when the device is assigned.
    var stationsByDevice: [DeviceID: Set<StationCode>] = [:]
    var stationTallies: [StationCode: StationTally] = [:]
    var contributions: [StationCode: [ConstituencyCode: ContestContribution]] = [:]
    var aggregates: [ConstituencyCode: ConstituencyAggregate] = [:]
    /// The commission's Form-47s and Form-49s by seat.
    var seatOfficial: [ConstituencyCode: [EventID: OfficialRecord]] = [:]
    var constituencyTallies: [ConstituencyCode: ConstituencyTally] = [:]
    var seatsByDistrict: [String: Set<ConstituencyCode>] = [:]
    var districtTallies: [String: RollUpTally] = [:]
    var cityTally: RollUpTally
    /// The sums ``cityTally`` is made of, kept for the next batch (``RollUpSums``); nil until made, and
    /// after a reference event, when they are made again from every seat.
    var citySums: RollUpSums?
    /// The sums each of ``districtTallies`` is made of, kept and made again as ``citySums`` are.
    var districtSums: [String: RollUpSums] = [:]
    /// ``officialComparison`` in canonical form, as last derived; empty before any seat is.
    public internal(set) var officialComparisonBytes: [UInt8] = []

    /// Whether the fold holds only some stations (``isPartial``): a projector's, which loads the
    /// others from its store when a batch touches them.
    public internal(set) var isPartial = false
    /// In a partial fold, the stations held: their facts, tallies and contributions.
    var held: Set<StationCode> = []
    /// In a partial fold, the seats whose sums changed since the store last took them.
    var changedSums: Set<ConstituencyCode> = []

    /// The tallies of no events; the election comes with the reference events applied.
    public init() {
        self.cityTally = RollUpTally(district: nil, seats: [], reference: ReferenceData())
    }

    /// How many distinct events have been applied (in a partial fold, of the last batch only).
    public var eventCount: Int { index.count }

    /// Whether the event with this id has been applied.
    public func contains(_ id: EventID) -> Bool { index[id] != nil }

    // MARK: Reading the tallies

    /// One station's tally: any station defined or observed.
    public func station(_ code: StationCode) -> StationTally? { stationTallies[code] }

    /// One seat's tally: any seat defined, or voted in by a defined station.
    public func constituency(_ code: ConstituencyCode) -> ConstituencyTally? { constituencyTallies[code] }

    /// One district's roll-up.
    public func district(_ name: String) -> DistrictTally? { districtTallies[name] }

    /// The city's roll-up: every defined seat.
    public var city: CityTally { cityTally }

    /// The city's field reports against the official Form-45s, as `GET /v1/official` lists them (without
    /// its position): the same listing ``OfficialDifferences`` reads from every station's and seat's
    /// document, kept from the seats' sums so that a partial fold has it too.
    public var officialComparison: OfficialDifferences {
        guard !officialComparisonBytes.isEmpty else {
            return OfficialDifferences(stations: 0, differences: [], margins: [:])
        }
        return OfficialDifferences(listing: try! JSONParser.parse(officialComparisonBytes))
    }

    /// Every station with a tally, in code order.
    public var stationCodes: [StationCode] { stationTallies.keys.sorted() }

    /// Every seat with a tally, NA first.
    public var constituencyCodes: [ConstituencyCode] { constituencyTallies.keys.sorted() }

    /// Every district with a roll-up, in name order.
    public var districtNames: [String] { districtTallies.keys.sorted() }
}
