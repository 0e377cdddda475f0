import Foundation
import Logging
import PipelineKafka
import PipelineMessages
import Synchronization

/// Reads events.clean and events.dlq for the whole run, as they are written, so the end checks see every record.
/// Reading them only at the end is not possible on a long run: the local broker keeps about 5 MiB per partition and
/// silently drops older data, so a 1,000,000-event run's first records are gone by then (the checks would wait for
/// records that no longer exist). The tap notices if that ever happens to it: every partition must have been read
/// from offset 0 without a gap.
final class ChaosTap: Sendable {
    typealias CleanRecord = (partition: Int32, offset: Int64, event: CleanEvent)

    private struct State {
        var clean: [CleanRecord] = []
        var letters: [DeadLetter] = []
        /// The next offset expected per topic and partition; a record below it is a re-read (after a rebalance the
        /// tap, which never commits, starts again from the earliest offset) and skipped.
        var next: [String: [Int32: Int64]] = [:]
        var gaps: [String] = []
        var undecodable = 0
    }

    static let topics = ["events.clean", "events.dlq"]
    private let state = Mutex(State())
    private let stopped = Atomic<Bool>(false)
    private let consumer: KafkaConsumer
    private let reading = Mutex<Task<Void, Never>?>(nil)

    init(client: KafkaClientConfiguration, logger: Logger) throws {
        consumer = try KafkaConsumer(
            configuration: .init(client: client, groupID: "chaos-tap-\(UUID().uuidString)", maximumBatchSize: 10_000), logger: logger)
        try consumer.subscribe(Self.topics)
        let task = Task.detached { [self] in await self.read() }
        reading.withLock { $0 = task }
    }

    private func read() async {
        while !stopped.load(ordering: .relaxed) {
            guard let batch = try? await consumer.nextBatch(timeout: .milliseconds(200)) else { continue }
            // Decoded outside the lock; the positions decide under it what is new.
            var records: [(topic: String, partition: Int32, offset: Int64, clean: CleanEvent?, letter: DeadLetter?)] = []
            records.reserveCapacity(batch.count)
            for message in batch {
                let topic = message.topic
                if topic == "events.clean" {
                    records.append((topic, message.partition, message.offset, message.withValue { try? CleanEvent(decoding: $0) }, nil))
                } else {
                    records.append((topic, message.partition, message.offset, nil, message.withValue { try? DeadLetter(decoding: $0) }))
                }
            }
            state.withLock { state in
                for record in records {
                    let expected = state.next[record.topic, default: [:]][record.partition, default: 0]
                    if record.offset < expected { continue }
                    if record.offset > expected { state.gaps.append("\(record.topic)[\(record.partition)] \(expected)..<\(record.offset)") }
                    state.next[record.topic, default: [:]][record.partition] = record.offset + 1
                    if let clean = record.clean {
                        state.clean.append((record.partition, record.offset, clean))
                    } else if let letter = record.letter {
                        state.letters.append(letter)
                    } else {
                        state.undecodable += 1
                    }
                }
            }
        }
    }

    /// Waits until the tap has read every record written to its topics so far.
    func catchUp(_ broker: BrokerProcess, within timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            var behind = false
            for topic in Self.topics {
                let highs = try await KafkaAdmin(client: broker.client, logger: broker.logger).offsets(topic: topic)
                let next = state.withLock { $0.next[topic] ?? [:] }
                if highs.contains(where: { $0.high > (next[$0.partition.partition] ?? 0) }) { behind = true }
            }
            if !behind { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return false
    }

    /// Stops reading and hands over what was read.
    func finish() async -> (clean: [CleanRecord], letters: [DeadLetter], gaps: [String], undecodable: Int) {
        stopped.store(true, ordering: .relaxed)
        await reading.withLock { $0 }?.value
        await consumer.close()
        return state.withLock { ($0.clean, $0.letters, $0.gaps, $0.undecodable) }
    }
}
