import FieldSyncModel
import Foundation

/// Times as a reporter types them: `08:40` or `8:40` (polling day, on the election's clock: from the
/// first moment observations are allowed, so `01:30` is the night after polling day), `08:40:15`,
/// `2024-02-08 08:40`, or a full RFC 3339 time such as `2024-02-08T08:40:00+05:00`. Pure.
public enum ReporterTime {
    /// What is allowed, for messages.
    public static let allowed = "a time such as 08:40 (polling day, election time), or 2024-02-08T08:40:00+05:00"

    /// The time `text` means, or nil.
    public static func parse(_ text: String, calendar: ElectionCalendar, now: Timestamp) -> ObservedTime? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.lowercased() == "now" { return ObservedTime(now, offsetMinutes: calendar.localOffsetMinutes) }
        if let written = ObservedTime(text) { return written }
        let offset = calendar.localOffsetMinutes
        if let (hour, minute, second) = clockTime(Substring(text)) {
            let day = calendar.observationsFrom.rfc3339(offsetMinutes: offset).prefix(10)
            guard var instant = Timestamp(rfc3339: "\(day)T\(two(hour)):\(two(minute)):\(two(second))" + zone(offset))
            else { return nil }
            if instant < calendar.observationsFrom { instant = instant.adding(seconds: 86_400) }
            return ObservedTime(instant, offsetMinutes: offset)
        }
        // `2024-02-08 08:40` or `2024-02-08T08:40`, local.
        let separators: Set<Character> = [" ", "T", "t"]
        if text.count >= 15, separators.contains(text[text.index(text.startIndex, offsetBy: 10)]),
            let (hour, minute, second) = clockTime(text.dropFirst(11))
        {
            let day = text.prefix(10)
            guard let instant = Timestamp(rfc3339: "\(day)T\(two(hour)):\(two(minute)):\(two(second))" + zone(offset))
            else { return nil }
            return ObservedTime(instant, offsetMinutes: offset)
        }
        return nil
    }

    /// `H:MM`, `HH:MM` or `HH:MM:SS`.
    static func clockTime(_ text: Substring) -> (Int, Int, Int)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, (1...2).contains(parts[0].count),
            parts.dropFirst().allSatisfy({ $0.count == 2 }),
            parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), hour < 24, minute < 60
        else { return nil }
        let second = parts.count == 3 ? Int(parts[2])! : 0
        guard second < 60 else { return nil }
        return (hour, minute, second)
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    static func zone(_ offset: Int) -> String {
        if offset == 0 { return "Z" }
        let magnitude = abs(offset)
        return (offset < 0 ? "-" : "+") + two(magnitude / 60) + ":" + two(magnitude % 60)
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
