import FieldSyncModel

/// A seat's official figures: the sum of its stations' official Form-45s, its standing Form-47 and Form-49,
/// each against the field, and the official leader by the figures that stand (PROTOCOL.md §13, "Official
/// figures").
public struct OfficialSeat: Hashable, Sendable, CanonicalPart {
    public let form45: OfficialForm45Sum
    public let form47: OfficialSeatResult?
    public let form49: OfficialSeatResult?
    /// The official figures the seat's winner is read from: the Form-49 if there is one, else the Form-47, else
    /// the sum of the official Form-45s when every station of the seat has one; nil otherwise.
    public let standing: OfficialResult.Form?
    /// The candidate with the most votes in the standing figures (ties: the lower candidate id); nil without
    /// standing figures or candidates.
    public var leader: CandidateID? {
        standingFigures?.votes.min { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }?.key
    }

    init(form45: OfficialForm45Sum, form47: OfficialSeatResult?, form49: OfficialSeatResult?, stations: Int) {
        self.form45 = form45
        self.form47 = form47
        self.form49 = form49
        if form49 != nil {
            standing = .form49
        } else if form47 != nil {
            standing = .form47
        } else if stations > 0 && form45.stations == stations {
            standing = .form45
        } else {
            standing = nil
        }
    }

    /// The figures `standing` names.
    public var standingFigures: Form45Figures? {
        switch standing {
        case .form49: form49?.figures
        case .form47: form47?.figures
        case .form45: form45.figures
        case nil: nil
        }
    }

    /// The events behind the standing figures: the Form-49's or the Form-47's, or every standing official
    /// Form-45's of the seat, in id order.
    public var standingEvents: [EventID] {
        switch standing {
        case .form49: form49.map { [$0.event] } ?? []
        case .form47: form47.map { [$0.event] } ?? []
        case .form45: form45.events
        case nil: []
        }
    }

    /// The standing Form-47 and Form-49, in that order.
    public var seatForms: [(form: OfficialResult.Form, result: OfficialSeatResult)] {
        [(OfficialResult.Form.form47, form47), (.form49, form49)].compactMap { form, result in
            result.map { (form, $0) }
        }
    }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("form45", form45)
            w.member("form47", form47)
            w.member("form49", form49)
            w.member("leader", leader?.rawValue)
            w.member("standing", standing?.rawValue)
        }
    }
}
