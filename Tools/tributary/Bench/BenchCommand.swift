import PipelineRuntime
enum BenchCommand {
    static let main = CommandMain(name: "tributary", command: "tributary bench", summary: "", configuration: { _ in 0 }, body: { _, _ in 0 })
}
