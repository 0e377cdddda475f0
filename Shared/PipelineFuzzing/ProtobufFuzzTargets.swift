import PipelineMessages

/// Every `tributary.v1` message a service reads from Kafka, decoded through protobuf-c.
enum ProtobufFuzzTargets {
    static let all: [FuzzTarget] = [
        message(RawEvent.self, ProtobufSeeds.rawEvents),
        message(CleanEvent.self, ProtobufSeeds.cleanEvents),
        message(DeadLetter.self, ProtobufSeeds.deadLetters),
        message(ChangeEvent.self, ProtobufSeeds.changeEvents),
        message(RecordChange.self, ProtobufSeeds.recordChanges),
        message(BatchRequest.self, ProtobufSeeds.batchRequests),
        message(Status.self, ProtobufSeeds.statuses),
        message(Alert.self, ProtobufSeeds.alerts),
    ]

    /// Decodes `M`; whatever decodes must re-encode to bytes that decode to the same value and re-encode
    /// identically.
    static func message<M: PipelineMessage>(_: M.Type, _ seeds: [M]) -> FuzzTarget {
        FuzzTarget(
            name: "protobuf.\(M.self)", summary: "\(M.self)(decoding:) then encode() round trip",
            seeds: seeds.map { $0.encode() }, maximumInputBytes: 2048
        ) { bytes in
            FuzzOutcome.checking(
                kind: { (error: MessageDecodingError) in "MessageDecodingError.\(error.reason)" },
                { () throws(MessageDecodingError) in try M(decoding: bytes) },
                contract: roundTripFailure)
        }
    }

    static func roundTripFailure<M: PipelineMessage>(_ decoded: M) -> String? {
        let encoded = decoded.encode()
        guard let again = try? M(decoding: encoded) else { return "\(M.self): its own encoding does not decode" }
        // A fuzzed double can be NaN, never equal to itself; the bytes must agree then.
        guard again == decoded || decoded != decoded else { return "\(M.self): the round trip changed the value" }
        guard again.encode() == encoded else { return "\(M.self): re-encoding is not stable" }
        return nil
    }
}
