import FieldSyncModel

extension ElectionDefinition {
    /// An election that is not Karachi's, for tests that the election is data: on 4 November 2031 at
    /// −03:00 (polling 07:00–19:00, observations from 05:30), in an invented area, electing the National
    /// Assembly and a provincial assembly (so the Karachi demo's seats fit it).
    public static let otherDayAndZone = ElectionDefinition(
        id: "test-2031", name: "Test general election 2031, Northern Province", utcOffsetMinutes: -180,
        pollingOpens: ObservedTime("2031-11-04T07:00:00-03:00")!,
        pollingCloses: ObservedTime("2031-11-04T19:00:00-03:00")!,
        observationsFrom: ObservedTime("2031-11-04T05:30:00-03:00")!,
        observationsUntil: ObservedTime("2031-11-05T08:00:00-03:00")!,
        correctionsUntil: ObservedTime("2031-11-11T00:00:00-03:00")!,
        assemblies: [.na: "National Assembly", .ps: "Provincial Assembly of the North"], synthetic: true)
}
