import ClickstreamTransform
import PipelineMessages
import Testing

/// The raw position each clean event carries, and the window rebuilt from it: what was accepted then, whatever
/// rules run now.
@Suite struct LineageTests {
    static func transform(_ transformer: EventTransformer, _ payload: String, position: Int64?) -> CleanEvent? {
        let outcome = transformer.transform(
            payload: Array(payload.utf8), source: "test", receivedTimeMs: Fixtures.receivedTimeMs,
            processedTimeMs: Fixtures.processedTimeMs, position: position)
        guard case .clean(let event) = outcome else { return nil }
        return try? CleanEvent(decoding: event.bytes)
    }

    @Test func aCleanEventNamesTheRawPartitionAndOffsetItWasMadeFrom() throws {
        let transformer = EventTransformer(rules: Fixtures.rules, sourcePartition: 7)
        let event = try #require(Self.transform(transformer, Fixtures.songPlay, position: 12_345))
        #expect(event.rawPartition == 7 && event.rawOffset == 12_345)
        // Callers that give no position (tools, benches) get no lineage: the bytes stay what protobuf-c writes for
        // the event alone.
        let other = EventTransformer(rules: Fixtures.rules, sourcePartition: 7)
        let plain = try #require(Self.transform(other, Fixtures.songPlay, position: nil))
        #expect(plain.rawPartition == 0 && plain.rawOffset == 0)
    }

    @Test func aRememberedIdKeepsItsEarliestAcceptance() {
        let window = EventIDWindow(capacity: 10)
        window.remember("a", acceptedAt: 50)
        window.remember("a", acceptedAt: 20)  // the copy re-sent after a restart came from an earlier record
        window.remember("a", acceptedAt: 90)
        #expect(window.position(of: "a") == 20 && window.count == 1)
    }

    @Test func aWindowRebuiltFromAcceptedIdsTellsReplaysFromDuplicates() {
        // Accepted under the old rules at offsets 10 and 11; the record at 12 was rejected then, so its id is not
        // remembered, and its replay at 40 is accepted. A second copy of offset 10's event at 41 is a duplicate;
        // offset 11 redelivered is itself.
        let transformer = EventTransformer(rules: Fixtures.rules, sourcePartition: 0)
        let accepted = ["e-10", "e-11"]
        for (index, id) in accepted.enumerated() { transformer.window.remember(id, acceptedAt: Int64(10 + index)) }
        func event(_ id: String) -> String { Fixtures.songPlay.replacingOccurrences(of: "\"e-1-42\"", with: "\"\(id)\"") }
        #expect(Self.transform(transformer, event("e-12"), position: 40) != nil)
        #expect(Self.transform(transformer, event("e-10"), position: 41) == nil)
        #expect(Self.transform(transformer, event("e-11"), position: 11) != nil)
    }
}
