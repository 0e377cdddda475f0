import Foundation
import Logging
import Synchronization
import Testing

@testable import PipelineRuntime

@Suite("Structured log lines")
struct LogLineFormatterTests {
    private let fixed = LogTimestamp(seconds: 1_795_438_800, nanoseconds: 123_456_789)  // 2026-11-23T13:00:00.123Z

    @Test("timestamps are RFC 3339 UTC with milliseconds")
    func timestamp() {
        #expect(self.fixed.rfc3339 == "2026-11-23T13:00:00.123Z")
        #expect(LogTimestamp(seconds: 0, nanoseconds: 5_000_000).rfc3339 == "1970-01-01T00:00:00.005Z")
    }

    @Test("text lines are logfmt-like with sorted metadata and quoted values")
    func textLine() {
        let formatter = LogLineFormatter(format: .text, service: "generator")
        let line = formatter.line(
            timestamp: self.fixed, level: .info, label: "generator", message: "message",
            metadata: ["key2": "quoted value", "key": "value", "kafka": ["topic": "events.raw"]])
        #expect(
            String(decoding: line, as: UTF8.self)
                == "2026-11-23T13:00:00.123Z info generator: message kafka.topic=events.raw key=value key2=\"quoted value\"\n"
        )
    }

    @Test("text escapes quotes, backslashes and line breaks so a record stays on one line")
    func textEscaping() {
        let formatter = LogLineFormatter(format: .text, service: "svc")
        let line = String(
            decoding: formatter.line(
                timestamp: self.fixed, level: .warning, label: "svc.kafka", message: "two\nlines",
                metadata: ["payload": "say \"hi\"\\\nbye\u{1}", "empty": ""]),
            as: UTF8.self)
        #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"))
        #expect(line.contains("svc: two\\nlines logger=svc.kafka"))
        #expect(line.contains(#"payload="say \"hi\"\\\nbye\u0001""#))
        #expect(line.contains(#"empty="""#))
    }

    @Test("JSON lines parse back with JSONSerialization, escapes included")
    func jsonLine() throws {
        let formatter = LogLineFormatter(format: .json, service: "transformer")
        let hostile = "quote \" backslash \\ newline \n tab \t ctrl \u{7} unicode é 🚀"
        let bytes = formatter.line(
            timestamp: self.fixed, level: .error, label: "transformer.sink", message: hostile,
            metadata: [
                "kafka.offset": .stringConvertible(42), "nested": ["a": ["b", "c"]], "message": "shadowed",
                "reason": .string(hostile),
            ],
            error: TestError(detail: "boom \"x\""))
        #expect(bytes.last == UInt8(ascii: "\n"))
        #expect(bytes.dropLast().contains(UInt8(ascii: "\n")) == false)
        let object = try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["time"] as? String == "2026-11-23T13:00:00.123Z")
        #expect(object["severity"] as? String == "ERROR")
        #expect(object["service"] as? String == "transformer")
        #expect(object["logger"] as? String == "transformer.sink")
        #expect(object["message"] as? String == hostile)
        #expect(object["reason"] as? String == hostile)
        #expect(object["meta.message"] as? String == "shadowed")
        #expect(object["kafka.offset"] as? String == "42")
        #expect((object["nested"] as? [String: Any])?["a"] as? [String] == ["b", "c"])
        #expect((object["error"] as? String)?.contains("boom") == true)
    }

    @Test("JSON severity uses Cloud Logging's names for every swift-log level")
    func jsonSeverity() throws {
        let formatter = LogLineFormatter(format: .json, service: "svc")
        let expected: [(Logger.Level, String)] = [
            (.trace, "DEBUG"), (.debug, "DEBUG"), (.info, "INFO"), (.notice, "NOTICE"), (.warning, "WARNING"),
            (.error, "ERROR"), (.critical, "CRITICAL"),
        ]
        for (level, severity) in expected {
            let bytes = formatter.line(timestamp: self.fixed, level: level, label: "svc", message: "m", metadata: [:])
            let object = try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
            #expect(object["severity"] as? String == severity)
            #expect(object["level"] == nil && object["msg"] == nil)
        }
    }

    @Test("the handler merges handler, provider and call-site metadata (call site wins) and honours its level")
    func handler() throws {
        let lines = Mutex<[String]>([])
        let sink = LogSink { bytes in lines.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } }
        let provider = Logger.MetadataProvider { ["trace": "t-1", "shared": "provider"] }
        var logger = Logger(label: "svc") { label in
            StructuredLogHandler(
                label: label, service: "svc", format: .json, level: .info, metadataProvider: provider, sink: sink,
                clock: { LogTimestamp(seconds: 0, nanoseconds: 0) })
        }
        logger[metadataKey: "instance"] = "i-1"
        logger[metadataKey: "shared"] = "handler"
        logger.debug("dropped")
        logger.info("kept", metadata: ["shared": "call"])
        let captured = lines.withLock { $0 }
        try #require(captured.count == 1)
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(captured[0].utf8)) as? [String: String])
        #expect(object["message"] == "kept")
        #expect(object["instance"] == "i-1")
        #expect(object["trace"] == "t-1")
        #expect(object["shared"] == "call")
    }

    @Test("concurrent writers never interleave lines")
    func concurrentWriters() async throws {
        let collected = Mutex<[UInt8]>([])
        let sink = LogSink { bytes in collected.withLock { $0 += bytes } }
        let logger = Logger(label: "svc") { label in
            StructuredLogHandler(label: label, service: "svc", format: .text, level: .info, sink: sink)
        }
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for index in 0..<200 { logger.info("line", metadata: ["writer": "\(writer)", "i": "\(index)"]) }
                }
            }
        }
        let lines = String(decoding: collected.withLock { $0 }, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 1600)
        #expect(lines.allSatisfy { $0.contains(" info svc: line i=") })
    }
}

private struct TestError: Error, CustomStringConvertible {
    var detail: String
    var description: String { self.detail }
}
