import FieldSyncModel

/// One tally as a document, ready to be written as a row (a jsonb column, say).
public struct TallyRow: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case station
        case constituency
        case district
        case city
    }

    public let kind: Kind
    /// The station code, seat code or district name; `city` for the city.
    public let key: String
    /// Nil when the row no longer exists (a district left with no seat).
    public let document: JSONValue?

    /// The document in canonical form (RFC 8785).
    public var canonicalBytes: [UInt8]? { document.map { CanonicalJSON.bytes($0) } }
}

extension ElectionTally {
    /// The rows a batch changed, to be written: stations, seats, districts, then the city.
    public func rows(for changes: TallyChanges) -> [TallyRow] {
        var rows = [TallyRow]()
        rows.reserveCapacity(changes.stations.count + changes.constituencies.count + changes.districts.count + 1)
        for code in changes.stations {
            rows.append(TallyRow(kind: .station, key: code.rawValue, document: stationTallies[code]?.jsonValue))
        }
        for code in changes.constituencies {
            rows.append(
                TallyRow(kind: .constituency, key: code.rawValue, document: constituencyTallies[code]?.jsonValue))
        }
        for name in changes.districts {
            rows.append(TallyRow(kind: .district, key: name, document: districtTallies[name]?.jsonValue))
        }
        if changes.city { rows.append(TallyRow(kind: .city, key: "city", document: cityTally.jsonValue)) }
        return rows
    }

    /// Every tally there is, as if everything had changed.
    public var allChanges: TallyChanges {
        var changes = TallyChanges()
        changes.stations = stationCodes
        changes.constituencies = constituencyCodes
        changes.districts = districtNames
        changes.city = true
        return changes
    }

    /// Every tally in one document: `city`, `districts`, `constituencies` and `stations`, the last
    /// three keyed by name or code. Its canonical form is the same for the same set of events.
    public var jsonValue: JSONValue {
        var districts = [String: JSONValue]()
        for (name, tally) in districtTallies { districts[name] = tally.jsonValue }
        var constituencies = [String: JSONValue]()
        for (code, tally) in constituencyTallies { constituencies[code.rawValue] = tally.jsonValue }
        var stations = [String: JSONValue]()
        for (code, tally) in stationTallies { stations[code.rawValue] = tally.jsonValue }
        return [
            "city": cityTally.jsonValue, "districts": .object(districts), "constituencies": .object(constituencies),
            "stations": .object(stations),
        ]
    }
}
