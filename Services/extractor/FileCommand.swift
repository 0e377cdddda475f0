import PipelineStage
import Glibc
import Logging
import PipelineKafka
import PipelineMessages
import PipelineRuntime
import SalesforceExtraction

/// `extractor file --format csv|jsonl [--object X] PATH`: each line of a file becomes a RecordChange on
/// salesforce.records; a line that cannot (bad CSV, bad JSON, no Id, no timestamp) becomes a DeadLetter on
/// events.dlq with the line number. Prints a JSON summary; exit 0 once every output is acknowledged.
enum FileCommand {
    struct Configuration: Sendable {
        var format: FileRecords.Format
        var object: String?
        var recordsTopic: String
        var deadLetterTopic: String
        var kafka: KafkaOptions
        var path: String

        init(reader: ConfigReader) {
            reader.section = "File"
            format = reader.enumeration("format", env: "EXTRACTOR_FILE_FORMAT", default: .csv, help: "csv (header row of field names) or jsonl (one record object per line).")
            object = reader.optionalString(
                "object", env: "EXTRACTOR_FILE_OBJECT",
                help: "Object the records belong to (required for csv; jsonl falls back to each row's attributes.type).")
            recordsTopic = reader.string(
                "records-topic", env: "EXTRACTOR_RECORDS_TOPIC", default: PipelineTopic.salesforceRecords.rawValue,
                help: "Where RecordChange messages go.")
            deadLetterTopic = reader.string(
                "dead-letter-topic", env: "EXTRACTOR_DEAD_LETTER_TOPIC", default: PipelineTopic.eventsDeadLetter.rawValue,
                help: "Where bad lines go.")
            kafka = KafkaOptions.read(from: reader, clientID: "extractor")
            path = reader.requiredPositional("path", help: "The file to ingest.")
            reader.require(format != .csv || object != nil, "--format csv needs --object")
            reader.require(object.map(SOQLIdentifier.isValid) ?? true, "--object is not an object name")
        }
    }

    static func run(arguments: [String]) async -> Never {
        await CommandMain(
            name: "extractor", command: "extractor file",
            summary: """
                Ingests a file of Salesforce records: CSV with a header row of field names (an empty value is null) \
                or JSON lines of record objects. Each line becomes a RecordChange (source batch, full record, \
                snake_case fields, SystemModstamp or LastModifiedDate as its time) on salesforce.records; a bad \
                line becomes a DeadLetter (stage extractor, reason csv_bad_line, json_bad_line, missing_id, \
                missing_timestamp…, the line number in the detail) on events.dlq. Prints a JSON summary.
                """,
            defaultLogLevel: .warning,
            configuration: Configuration.init(reader:),
            body: { configuration, logger in try await ingest(configuration, logger: logger) }
        ).run(arguments: arguments)
    }

    static func ingest(_ configuration: Configuration, logger: Logger) async throws -> Int32 {
        let bytes = try readFile(configuration.path)
        let lines: [FileRecords.Line]
        switch configuration.format {
        case .csv:
            do {
                lines = try FileRecords.csv(bytes, object: configuration.object ?? "")
            } catch {
                ProcessEnvironment.printError("extractor file: \(configuration.path): \(error.detail)")
                return 2
            }
        case .jsonl:
            lines = FileRecords.jsonLines(bytes, object: configuration.object)
        }
        let client = try configuration.kafka.clientConfiguration(environment: ProcessEnvironment.current())
        let producer = try KafkaProducer(configuration: .init(client: client), logger: logger)
        let records = try producer.topic(configuration.recordsTopic)
        let deadLetters = try producer.topic(configuration.deadLetterTopic)
        let tracker = DeliveryTracker()
        let metrics = ExtractorMetrics()
        var reasons: [String: Int] = [:]
        var sent = 0
        let now = WallClock.milliseconds()
        for line in lines {
            switch line.outcome {
            case .success(let mapped):
                try await producer.send(
                    to: records, key: Array(RecordMapping.key(of: mapped.change).utf8), value: mapped.change.encode(),
                    tracker: tracker)
                sent += 1
            case .failure(let error):
                let letter = DeadLetter(
                    originalValue: line.raw, topic: "file:" + configuration.path, offset: Int64(line.number),
                    stage: "extractor", reason: error.reason, detail: error.detail, timeMs: now)
                try await producer.send(to: deadLetters, key: nil, value: letter.encode(), tracker: tracker)
                reasons[error.reason, default: 0] += 1
                metrics.deadLetters.record(reason: error.reason)
            }
        }
        let report = await tracker.report()
        await producer.close(timeout: .seconds(20))
        let byReason = reasons.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):\($0.value)" }
        print(
            "{\"lines\":\(lines.count),\"records\":\(sent),\"dead_letters\":\(lines.count - sent),"
                + "\"by_reason\":{\(byReason.joined(separator: ","))},\"delivered\":\(report.succeeded)}")
        guard report.succeeded else {
            logger.error("file outputs not acknowledged", metadata: ["error": "\(String(describing: report.firstError))"])
            return 1
        }
        return 0
    }

    private static func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FileError(message: "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw FileError(message: "cannot read \(path): \(String(cString: strerror(errno)))") }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
        }
    }

    struct FileError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
