import PipelineAlerting
import PipelineMessages
import Testing

@Suite struct AlertBookTests {
    static func alert(_ key: String = "lag#transformer", _ status: Alert.Status = .firing, severity: Alert.Severity = .warning) -> Alert {
        Alert(key: key, severity: severity, status: status, source: "test", summary: "summary of \(key)", timeMs: 0)
    }

    @Test func aStormOfOneThousandIdenticalAlertsIsOneNotificationPlusTheReNotifySchedule() {
        var book = AlertBook(renotifyIntervalMs: 600_000)
        var sent: [AlertNotification] = []
        // 1,000 identical reports over 30 minutes, one every 1.8 s, with the book ticking every second.
        var nowMs: Int64 = 1_000_000
        for index in 0..<1_000 {
            if let notification = book.receive(Self.alert(), nowMs: nowMs) { sent.append(notification) }
            nowMs += 1_800
            if index % 2 == 0 { sent += book.tick(nowMs: nowMs) }
        }
        // One first notification, then one reminder per 10 minutes of the 30 minutes the storm lasted.
        #expect(sent.map(\.kind) == [.firing, .reminder, .reminder])
        #expect(sent[0].occurrences == 1)
        #expect(sent[2].occurrences > 600)
        #expect(book.suppressed == 999)
        #expect(book.open.count == 1)
        let resolved = book.receive(Self.alert("lag#transformer", .resolved), nowMs: nowMs)
        #expect(resolved?.kind == .resolved)
        #expect(resolved?.occurrences == 1_000)
        #expect(book.open.isEmpty)
        do {
            let result = book.tick(nowMs: nowMs + 10_000_000)
            #expect(result.isEmpty)
        }
    }

    @Test func remindersFollowTheIntervalAndStopWhenResolved() {
        var book = AlertBook(renotifyIntervalMs: 60_000)
        do {
            let result = book.receive(Self.alert(), nowMs: 0)
            #expect(result?.kind == .firing)
        }
        do {
            let result = book.tick(nowMs: 59_999)
            #expect(result.isEmpty)
        }
        do {
            let result = book.tick(nowMs: 60_000)
            #expect(result.map(\.kind) == [.reminder])
        }
        do {
            let result = book.tick(nowMs: 100_000)
            #expect(result.isEmpty)
        }
        do {
            let result = book.tick(nowMs: 120_000)
            #expect(result.map(\.kind) == [.reminder])
        }
        do {
            let result = book.receive(Self.alert("lag#transformer", .resolved), nowMs: 130_000)
            #expect(result?.kind == .resolved)
        }
        do {
            let result = book.tick(nowMs: 1_000_000)
            #expect(result.isEmpty)
        }
        // A second resolve, or one for a key never opened, sends nothing.
        do {
            let result = book.receive(Self.alert("lag#transformer", .resolved), nowMs: 130_001)
            #expect(result == nil)
        }
        do {
            let result = book.receive(Self.alert("other", .resolved), nowMs: 130_002)
            #expect(result == nil)
        }
    }

    @Test func keysAreIndependentAndSeverityEscalates() {
        var book = AlertBook(renotifyIntervalMs: 0)
        do {
            let result = book.receive(Self.alert("a"), nowMs: 0)
            #expect(result != nil)
        }
        do {
            let result = book.receive(Self.alert("b"), nowMs: 0)
            #expect(result != nil)
        }
        do {
            let result = book.receive(Self.alert("a", severity: .critical), nowMs: 1)
            #expect(result == nil)
        }
        #expect(book.open["a"]?.alert.severity == .critical)
        do {
            let result = book.receive(Self.alert("a", severity: .info), nowMs: 2)
            #expect(result == nil)
        }
        #expect(book.open["a"]?.alert.severity == .critical)
        do {
            let result = book.tick(nowMs: 10_000_000)
            #expect(result.isEmpty)
        }
    }

    @Test func silencedKeysAreTrackedButNotSent() {
        let silences = SilenceList(parsing: "lag#replay*,heartbeat#x@5000")!
        var book = AlertBook(renotifyIntervalMs: 1_000, silences: silences)
        do {
            let result = book.receive(Self.alert("lag#replay-1"), nowMs: 0)
            #expect(result == nil)
        }
        #expect(book.open["lag#replay-1"] != nil)
        do {
            let result = book.tick(nowMs: 10_000)
            #expect(result.isEmpty)
        }
        do {
            let result = book.receive(Self.alert("lag#replay-1", .resolved), nowMs: 10_001)
            #expect(result == nil)
        }
        #expect(book.silenced == 3)
        // Expired silence: sent.
        do {
            let result = book.receive(Self.alert("heartbeat#x"), nowMs: 4_000)
            #expect(result == nil)
        }
        do {
            let result = book.receive(Self.alert("heartbeat#x", .resolved), nowMs: 4_500)
            #expect(result == nil)
        }
        do {
            let result = book.receive(Self.alert("heartbeat#x"), nowMs: 6_000)
            #expect(result?.kind == .firing)
        }
        #expect(SilenceList(parsing: "a@notatime") == nil)
    }

    @Test func severityRouting() {
        let routing = AlertRouting(minimumSeverity: .warning, hasCriticalRoute: true)
        #expect(routing.route(for: .info) == nil)
        #expect(routing.route(for: .warning) == "default")
        #expect(routing.route(for: .unspecified) == "default")
        #expect(routing.route(for: .critical) == "critical")
        #expect(AlertRouting().route(for: .critical) == "default")
        var book = AlertBook(renotifyIntervalMs: 0, routing: routing)
        do {
            let result = book.receive(Self.alert("i", severity: .info), nowMs: 0)
            #expect(result == nil)
        }
        do {
            let result = book.receive(Self.alert("c", severity: .critical), nowMs: 0)
            #expect(result?.route == "critical")
        }
    }
}
