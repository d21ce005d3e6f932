/// What wakes a live stream: the feed has events up to a new position, or it is time for a heartbeat.
enum LiveSignal: Sendable, Equatable {
    case tallies(position: Int64)
    case heartbeat
}
