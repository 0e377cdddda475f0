import PipelineRuntime
enum UpCommand {
    static let main = CommandMain(name: "tributary", command: "tributary up", summary: "", configuration: { _ in 0 }, body: { _, _ in 0 })
}
