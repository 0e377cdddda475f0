@testable import PipelineKafka
import Testing

@Suite struct LibrdkafkaStatisticsTests {
    @Test func readsTopLevelIntegersOnly() {
        let json = #"{"name":"x","msg_cnt":42,"brokers":{"b":{"msg_cnt":7,"tx":3}},"tx":-5,"s":"\"tx\":9"}"#
        let bytes = Array(json.utf8)
        bytes.withUnsafeBytes { buffer in
            #expect(LibrdkafkaStatistics.topLevelInteger(Array(#""msg_cnt":"#.utf8), in: buffer) == 42)
            #expect(LibrdkafkaStatistics.topLevelInteger(Array(#""tx":"#.utf8), in: buffer) == -5)
            #expect(LibrdkafkaStatistics.topLevelInteger(Array(#""rx":"#.utf8), in: buffer) == nil)
        }
    }
}
