import FieldSyncModel

/// Which of a seat's reporting stations have their Form-45 photo on the server: a pure reading of the
/// stations' summaries or tally documents (each counted report names its photo, PROTOCOL.md §13) and of the set of
/// photos stored. A station reports when its result for the seat has at least one counted report; it is
/// "with photo" when one of those reports' photos is stored, "photo pending" when they name photos and
/// none is stored yet, and "without photo" when none names one.
struct SeatPhotos: Sendable, Hashable {
    var constituency: ConstituencyCode
    var withPhoto: [String] = []
    var photoPending: [String] = []
    var withoutPhoto: [String] = []

    /// The photos each reporting station's counted reports for `seat` name, by station code (an empty
    /// list for a station whose reports name none). Stations that do not report are left out.
    static func named(in stations: [String: JSONValue], seat: ConstituencyCode) -> [String: [SHA256Digest]] {
        var named: [String: [SHA256Digest]] = [:]
        for (code, document) in stations {
            let result = document["results"]?.arrayValue?.first { $0["constituency"]?.stringValue == seat.rawValue }
            guard let reports = result?["reports"]?.arrayValue, !reports.isEmpty else { continue }
            named[code] = reports.compactMap { $0["photo"]?.stringValue.flatMap(SHA256Digest.init(hex:)) }
        }
        return named
    }

    /// The stations of `named` sorted into the three kinds, each list in code order.
    init(constituency: ConstituencyCode, named: [String: [SHA256Digest]], stored: Set<SHA256Digest>) {
        self.constituency = constituency
        for (code, photos) in named.sorted(by: { $0.key < $1.key }) {
            if photos.isEmpty {
                withoutPhoto.append(code)
            } else if photos.contains(where: stored.contains) {
                withPhoto.append(code)
            } else {
                photoPending.append(code)
            }
        }
    }

    /// `{"constituency", "reported", "withPhoto", "photoPending", "withoutPhoto"}`: the three lists of
    /// station codes, and how many stations report in all.
    var jsonValue: JSONValue {
        func codes(_ list: [String]) -> JSONValue { .array(list.map { .string($0) }) }
        return [
            "constituency": .string(constituency.rawValue),
            "reported": .integer(Int64(withPhoto.count + photoPending.count + withoutPhoto.count)),
            "withPhoto": codes(withPhoto), "photoPending": codes(photoPending), "withoutPhoto": codes(withoutPhoto),
        ]
    }
}
