import Testing

/// The reporter's side end to end: the real `fieldsync` program against the real server (`fieldsync
/// serve` as a child process, on PostgreSQL). One test at a time: each starts servers and many
/// processes, and the build machine has two cores.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct EndToEndTests {}
