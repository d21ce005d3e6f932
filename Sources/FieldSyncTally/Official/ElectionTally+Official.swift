import FieldSyncModel

extension ElectionTally {
    /// The official import with this id: a Form-45 of `station`, or a Form-47 or 49 of `seat`.
    func officialResult(_ id: EventID, station: StationCode?, seat: ConstituencyCode) -> OfficialResult? {
        if let station { return facts[station]?.official[id]?.result }
        return seatOfficial[seat]?[id]?.result
    }
}
