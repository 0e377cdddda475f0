internal import CRdKafka

extension KafkaAdmin {
    /// Commits offsets for a group without joining it (a short-lived client in that group commits them directly):
    /// how `tributary dlq replay` records how far it replayed.
    /// - Throws: `.admin` when the commit fails.
    public func commitOffsets(
        group: String, offsets: [TopicPartition: Int64]
    ) async throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        var properties = client.baseProperties() + [("group.id", group), ("enable.auto.commit", "false")]
        properties += client.properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let conf = try RDKafkaConf.make(properties)
        let groupClient = SendablePointer(raw: try RDKafkaConf.newClient(type: RD_KAFKA_CONSUMER, conf: conf))
        let outcome: Result<Void, KafkaError> = await blocking.run {
            defer { rd_kafka_destroy(groupClient.raw) }
            let list = TopicPartition.makeList(offsets.map { ($0.key, $0.value) })
            defer { rd_kafka_topic_partition_list_destroy(list) }
            // Synchronous commit (async = 0): returns once the coordinator answered.
            let code = rd_kafka_commit(groupClient.raw, list, 0)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                return .failure(KafkaError(kind: .admin, response: code, context: "commit offsets of \(group)"))
            }
            return .success(())
        }
        try outcome.get()
    }
}
