import Foundation
import PipelineKafka
import Testing

/// `tributary broker`'s published address and its control API.
@Suite(.timeLimit(.minutes(2))) struct BrokerControlTests {
    @Test func controlAPICreatesTopicsAndRejectsBadRequests() async throws {
        let broker = try await BrokerProcess()
        let admin = try KafkaAdmin(client: broker.client, logger: broker.logger)
        #expect(try await admin.partitionCount(topic: "events.raw") == 4)
        #expect(try await admin.partitionCount(topic: "pipeline.alerts") == 1)

        try await broker.createTopic("made.here", partitions: 3)
        #expect(try await admin.partitionCount(topic: "made.here") == 3)
        let (_, listing) = try await broker.control("GET", "/topics")
        #expect(listing.contains("{\"name\":\"made.here\",\"partitions\":3}"))

        let (missing, body) = try await broker.control("POST", "/topics?name=x")
        #expect(missing == 400)
        #expect(body.contains("missing parameter partitions"))
        let (unknown, _) = try await broker.control("POST", "/faults/meteor")
        #expect(unknown == 400)
    }

    @Test func brokerDownMakesClientsFailUntilItIsBackUp() async throws {
        let broker = try await BrokerProcess()
        let admin = try KafkaAdmin(client: broker.client, logger: broker.logger)
        #expect(try await admin.partitionCount(topic: "events.raw", timeout: .seconds(5)) == 4)
        let (down, _) = try await broker.control("POST", "/faults/broker?id=1&state=down")
        #expect(down == 200)
        let fresh = try KafkaAdmin(client: broker.client, logger: broker.logger)
        await #expect(throws: KafkaError.self) { try await fresh.partitionCount(topic: "events.raw", timeout: .seconds(2)) }
        let (up, _) = try await broker.control("POST", "/faults/broker?id=1&state=up")
        #expect(up == 200)
        #expect(try await fresh.partitionCount(topic: "events.raw", timeout: .seconds(10)) == 4)
    }

    @Test func sigtermRemovesThePublishedAddress() async throws {
        let broker = try await BrokerProcess()
        #expect(LocalBrokerAddress.read(environment: broker.environment) != nil)
        broker.process.signal(SIGTERM)
        await broker.process.expectCleanExit(within: .seconds(30))
        #expect(!FileManager.default.fileExists(atPath: LocalBrokerAddress.filePath(environment: broker.environment)))
    }
}
