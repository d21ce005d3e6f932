/// A message sent with `NOTIFY channel, 'payload'` (or `pg_notify`) and received by a listener.
public struct PostgresNotification: Sendable, Equatable {
    public var channel: String
    public var payload: String
    /// The backend process that sent it.
    public var senderProcessID: Int32
}
