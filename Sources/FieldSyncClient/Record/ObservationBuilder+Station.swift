import FieldSyncModel

extension ObservationBuilder {
    /// `record opened [--at TIME] --materials complete|incomplete --staff present|absent`.
    mutating func opened(_ options: RecordOptions, base: Payload?, time: ObservedTime?) -> Payload? {
        let earlier: StationOpened? = if case .stationOpened(let opened)? = base { opened } else { nil }
        noValues(
            options, kind: .opened, optionsList: "--at TIME, --materials complete|incomplete, --staff present|absent")
        let at = self.time(options.at, field: "--at", default: earlier?.openedAt ?? time)
        let materials = choice(
            options.materials, field: "--materials", ["complete": true, "incomplete": false],
            default: earlier?.materialsComplete)
        let staff = choice(
            options.staff, field: "--staff", ["present": true, "absent": false], default: earlier?.staffPresent)
        guard let at, let materials, let staff else { return nil }
        return .stationOpened(StationOpened(openedAt: at, materialsComplete: materials, staffPresent: staff))
    }

    /// `record closed [--at TIME] [--queue N]`.
    mutating func closed(_ options: RecordOptions, base: Payload?, time: ObservedTime?) -> Payload? {
        let earlier: StationClosed? = if case .stationClosed(let closed)? = base { closed } else { nil }
        noValues(options, kind: .closed, optionsList: "--at TIME, --queue N")
        let at = self.time(options.at, field: "--at", default: earlier?.closedAt ?? time)
        var queue = earlier?.votersInQueue
        if options.queue != nil {
            queue = count(options.queue, field: "--queue", default: nil, allowed: "the voters still waiting, 0 or more")
            if queue == nil { return nil }
        }
        guard let at else { return nil }
        return .stationClosed(StationClosed(closedAt: at, votersInQueue: queue))
    }

    /// `record agents PARTY=present|absent|expelled …`.
    mutating func agents(_ options: RecordOptions, base: Payload?, station: PollingStation?) -> Payload? {
        var agents: [String: AgentPresence] = [:]
        if case .agentsObserved(let earlier)? = base { agents = earlier.agents }
        let parties = station.map { context.reference.parties(at: $0).sorted() } ?? []
        let presences = AgentPresence.allCases.map(\.rawValue)
        let allowed =
            "PARTY=" + presences.joined(separator: "|")
            + (parties.isEmpty ? "" : ", PARTY one of " + parties.joined(separator: ", "))
        if options.values.isEmpty && agents.isEmpty {
            fail("PARTY=PRESENCE", "no party given", allowed: "one or more of " + allowed + ", such as PPP=present")
        }
        for (typedParty, typedPresence) in pairs(options.values, shape: "PARTY=PRESENCE", allowed: allowed) {
            // Party codes as the reference data writes them, whatever the case typed.
            let party = parties.first { $0.uppercased() == typedParty.uppercased() } ?? typedParty
            guard let presence = AgentPresence(rawValue: typedPresence.lowercased()) else {
                fail(
                    "\(typedParty)=\(typedPresence)", "\"\(typedPresence)\" is not what a reporter sees of an agent",
                    allowed: RecordProblem.list(presences),
                    suggestions: Suggestions.nearest(to: typedPresence, among: presences, limit: 1).map {
                        "\(party)=\($0)"
                    })
                continue
            }
            if !parties.isEmpty && !parties.contains(party) {
                fail(
                    "\(typedParty)=\(typedPresence)",
                    "no candidate of \(typedParty) stands at station \(station!.code)",
                    allowed: parties.joined(separator: ", "),
                    suggestions: Suggestions.nearest(to: typedParty, among: parties, limit: 2).map {
                        "\($0)=\(typedPresence)"
                    })
                continue
            }
            agents[party] = presence
        }
        guard !agents.isEmpty else { return nil }
        return .agentsObserved(PollingAgents(agents: agents))
    }

    /// `record turnout VOTES [--male N] [--female N] [--as-of TIME]`.
    mutating func turnout(_ options: RecordOptions, base: Payload?, time: ObservedTime?) -> Payload? {
        let earlier: TurnoutCount? = if case .turnoutCounted(let turnout)? = base { turnout } else { nil }
        for extra in options.values.dropFirst() {
            fail(
                extra, "unexpected value: turnout takes one count",
                allowed: "VOTES, then --male N, --female N, --as-of TIME")
        }
        let votes = count(
            options.values.first, field: "VOTES", default: earlier?.votesCast,
            allowed: "the votes cast so far at the station, such as 412")
        var male = earlier?.male
        var female = earlier?.female
        if options.male != nil {
            male = count(options.male, field: "--male", default: nil, allowed: "a count of 0 or more")
        }
        if options.female != nil {
            female = count(options.female, field: "--female", default: nil, allowed: "a count of 0 or more")
        }
        let asOf = self.time(options.asOf, field: "--as-of", default: earlier?.asOf ?? time)
        guard let votes, let asOf, options.male == nil || male != nil, options.female == nil || female != nil else {
            return nil
        }
        return .turnoutCounted(TurnoutCount(asOf: asOf, votesCast: votes, male: male, female: female))
    }

    /// `record incident KIND --severity low|medium|high "DESCRIPTION" [--occurred-at TIME] [--photo FILE]`.
    mutating func incident(_ options: RecordOptions, base: Payload?) -> Payload? {
        let earlier: Incident? = if case .incidentObserved(let incident)? = base { incident } else { nil }
        let kinds = IncidentKind.allCases.map(\.rawValue)
        var kind = earlier?.kind
        if let typed = options.values.first {
            kind = IncidentKind(rawValue: typed.lowercased())
            if kind == nil {
                fail(
                    "KIND", "\"\(typed)\" is not a kind of incident", allowed: kinds.joined(separator: ", "),
                    suggestions: Suggestions.nearest(to: typed, among: kinds, limit: 2))
            }
        } else if kind == nil {
            fail("KIND", "missing", allowed: kinds.joined(separator: ", "))
        }
        let words = options.values.dropFirst().joined(separator: " ")
        let description = words.isEmpty ? earlier?.description : words
        if description == nil {
            fail("DESCRIPTION", "missing", allowed: "what happened, in your words, in quotes after the kind")
        }
        let severity = choice(
            options.severity, field: "--severity", ["low": Severity.low, "medium": .medium, "high": .high],
            default: earlier?.severity)
        var occurredAt = earlier?.occurredAt
        if options.occurredAt != nil {
            occurredAt = time(options.occurredAt, field: "--occurred-at", default: nil)
            if occurredAt == nil { return nil }
        }
        guard let kind, let description, let severity else { return nil }
        return .incidentObserved(
            Incident(
                kind: kind, severity: severity, description: description, occurredAt: occurredAt,
                photo: options.photo ?? earlier?.photo))
    }
}
