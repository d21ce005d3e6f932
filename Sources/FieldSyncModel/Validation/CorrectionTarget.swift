/// What the caller found when it looked up the event a correction names in `corrects`.
public enum CorrectionTarget: Hashable, Sendable {
    /// Not looked up (the caller cannot know, such as a reporter's laptop missing other devices'
    /// events): the checks that need the corrected event are skipped.
    case notLookedUp
    /// No event with that id is known.
    case notFound
    /// The event with that id.
    case found(Event)
}
