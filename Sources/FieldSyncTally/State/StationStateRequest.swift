import FieldSyncModel

/// What a store must look up before a partial fold (``ElectionTally/isPartial``) applies a batch: the
/// stations the batch touches, and the questions about the log up to the fold's position that a fold
/// holding every event would answer from memory.
public struct StationStateRequest: Hashable, Sendable {
    /// The stations the batch's events are about or define.
    public var stations: Set<StationCode> = []
    /// Whether the batch touches every station with facts (an election definition: its calendar says
    /// how late each station opened).
    public var everyStation = false
    /// The ids the batch's corrections name: where those events are in the log, if they are.
    public var correctionTargets: Set<EventID> = []
    /// The batch's event ids: corrections already folded that name one of them are judged again.
    public var eventIDs: [EventID] = []
    /// The devices the batch assigns: the stations they observed are judged again.
    public var assignedDevices: Set<DeviceID> = []

    public init() {}
}

/// What a store found for a ``StationStateRequest``, all of it as of the fold's position.
public struct StationStates: Sendable {
    /// A correction already folded that names an event of the batch.
    public struct WaitingCorrection: Sendable {
        /// The event it names.
        public var target: EventID
        /// The correction's own id and place.
        public var correction: EventID
        public var location: EventLocation

        public init(target: EventID, correction: EventID, location: EventLocation) {
            self.target = target
            self.correction = correction
            self.location = location
        }
    }

    /// The stations to load, whether or not they have facts.
    public var stations: Set<StationCode> = []
    /// Every event of those stations (``ElectionTally/station(of:)``), in any order.
    public var events: [StoredEvent] = []
    /// Where the events named by corrections are: the batch's, and those of the loaded stations.
    public var locations: [EventID: EventLocation] = [:]
    public var waitingCorrections: [WaitingCorrection] = []
    /// The stations each assigned device observed.
    public var stationsByDevice: [DeviceID: Set<StationCode>] = [:]

    public init() {}
}
