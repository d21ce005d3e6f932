/// The faults the campaign injects, in turn: what a polling day's networks, power cuts and crashes do to
/// the reporters' laptops, the server and its database.
enum FaultKind: String, CaseIterable, Sendable {
    /// Every chunk of a sync's connection held back, both ways.
    case slowNetwork = "connection delayed"
    /// A sync's connection reset (RST) as soon as it is made.
    case resetConnection = "connection reset at once"
    /// A sync's connection cut (RST) after some bytes of its requests.
    case requestCut = "connection cut mid-request"
    /// A sync's connection cut (RST) after some bytes of the server's answers: a batch stored whose
    /// receipt never arrives.
    case answerCut = "connection cut mid-answer"
    /// The server process killed (SIGKILL) while a batch is on its way in, then started again.
    case serverKilled = "server killed (SIGKILL) mid-batch"
    /// PostgreSQL stopped as a crash stops it (immediate shutdown) while a batch is on its way in,
    /// and started again at once.
    case databaseCrashed = "PostgreSQL restarted immediately mid-batch"
    /// A `fieldsync record` process killed (SIGKILL) before it could finish.
    case recorderKilled = "reporter killed (SIGKILL) while recording"
    /// A `fieldsync sync` process killed (SIGKILL) while a batch is on its way out.
    case syncKilled = "reporter killed (SIGKILL) while syncing"
    /// A reporter's unacknowledged events written to a bundle and pushed by a colleague's laptop.
    case bundleCarried = "day carried by a colleague in a bundle"
    /// A bundle cut short on its way to the colleague's laptop: refused whole, nothing of it stored.
    case bundleCutShort = "bundle cut short on the way"
    /// A photo's upload cut (RST) somewhere in its first piece, and every 200 KB after that.
    case photoCut = "photo upload cut every 200 KB"
    /// The server process killed (SIGKILL) while a photo's bytes are on their way in, then started again.
    case photoServerKilled = "server killed (SIGKILL) mid-photo"
    /// PostgreSQL crashed and restarted at once while a photo's bytes are on their way in.
    case photoDatabaseCrashed = "PostgreSQL restarted immediately mid-photo"
    /// A `fieldsync sync` process killed (SIGKILL) while a photo's bytes are on their way out.
    case photoSyncKilled = "reporter killed (SIGKILL) mid-photo"
    /// One byte of a photo's upload damaged on the way: the server refuses the photo, the sync sends it again.
    case photoDamaged = "photo byte damaged on the way"
    /// A reporter's new photo written to a bundle with its event and pushed by a colleague's laptop.
    case photoBundled = "photo carried by a colleague in a bundle"

    /// How many turns of each cycle of ``schedule`` the fault takes. Restarting the server or PostgreSQL
    /// costs several seconds a turn and a network fault one or two, so the cheap faults come more often.
    var weight: Int {
        switch self {
        case .requestCut, .answerCut: 4
        case .slowNetwork, .resetConnection: 3
        case .recorderKilled, .syncKilled, .photoCut: 2
        case .serverKilled, .databaseCrashed, .bundleCarried, .bundleCutShort: 1
        case .photoServerKilled, .photoDatabaseCrashed, .photoSyncKilled, .photoDamaged, .photoBundled: 1
        }
    }

    /// One cycle of the campaign's turns: each kind as often as its weight, round-robin, so every kind
    /// comes once in the first turns.
    static let schedule: [FaultKind] = {
        var left = Dictionary(uniqueKeysWithValues: allCases.map { ($0, $0.weight) })
        var cycle = [FaultKind]()
        while left.values.contains(where: { $0 > 0 }) {
            for kind in allCases where left[kind, default: 0] > 0 {
                cycle.append(kind)
                left[kind, default: 0] -= 1
            }
        }
        return cycle
    }()

    /// Whether the fault needs a sync with many batches in flight to land in the middle of one.
    var needsBacklog: Bool {
        switch self {
        case .serverKilled, .databaseCrashed, .syncKilled: true
        case .slowNetwork, .resetConnection, .requestCut, .answerCut, .recorderKilled, .bundleCarried, .bundleCutShort:
            false
        case .photoCut, .photoServerKilled, .photoDatabaseCrashed, .photoSyncKilled, .photoDamaged, .photoBundled:
            false
        }
    }

    /// Whether the fault strikes a photo: the reporter takes one (an incident's) before it.
    var strikesPhoto: Bool {
        switch self {
        case .photoCut, .photoServerKilled, .photoDatabaseCrashed, .photoSyncKilled, .photoDamaged, .photoBundled:
            true
        case .slowNetwork, .resetConnection, .requestCut, .answerCut, .serverKilled, .databaseCrashed, .recorderKilled,
            .syncKilled, .bundleCarried, .bundleCutShort:
            false
        }
    }
}
