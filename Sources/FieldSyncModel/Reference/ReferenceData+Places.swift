extension ReferenceData {
    /// A problem for each station or seat that is not defined, its field named `prefix` + `stations[i]`
    /// or `constituencies[i]`.
    public func unknownPlaces(
        stations: [StationCode], constituencies: [ConstituencyCode], at prefix: String = ""
    ) -> [FieldError] {
        var errors = [FieldError]()
        for (index, station) in stations.enumerated() where self.stations[station] == nil {
            errors.append(Self.unknownStation(station, field: "\(prefix)stations[\(index)]"))
        }
        for (index, seat) in constituencies.enumerated() where self.constituencies[seat] == nil {
            errors.append(Self.unknownConstituency(seat, field: "\(prefix)constituencies[\(index)]"))
        }
        return errors
    }

    static func unknownStation(_ code: StationCode, field: String) -> FieldError {
        FieldError(
            field: field, code: .unknownStation, problem: "\(code) is not a known polling station",
            allowed: "a station defined in the reference data")
    }

    static func unknownConstituency(_ code: ConstituencyCode, field: String) -> FieldError {
        FieldError(
            field: field, code: .unknownConstituency, problem: "\(code) is not a known constituency",
            allowed: "a constituency defined in the reference data")
    }
}
