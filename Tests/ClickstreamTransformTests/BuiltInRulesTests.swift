import ClickstreamTransform
import Foundation
import Testing

@Suite struct BuiltInRulesTests {
    @Test func builtInRulesEqualTheRepositoryFile() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = try String(contentsOf: repository.appendingPathComponent("config/quality-rules.json"), encoding: .utf8)
        #expect(
            file.trimmingCharacters(in: .newlines) == BuiltInQualityRules.json.trimmingCharacters(in: .newlines),
            "run scripts/embed-quality-rules.sh")
        #expect(try BuiltInQualityRules.load().rules.count > 10)
    }
}
