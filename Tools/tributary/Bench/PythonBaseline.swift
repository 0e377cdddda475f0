import Foundation

/// The Python transformer a data engineer might write (`Benchmarks/python-transformer`), made runnable: a venv
/// with confluent-kafka and protobuf (created and filled with pip when missing) and Python classes generated
/// from `proto/` with protoc. Any failure is a reason to skip its row, never to fail the bench.
struct PythonBaseline: Sendable {
    static let directory = "Benchmarks/python-transformer"
    static let script = directory + "/transformer.py"
    static let requirements = directory + "/requirements.txt"
    static let protoRoot = "proto"

    /// The venv's interpreter.
    let python: String
    /// Where `tributary/v1/*_pb2.py` were generated (a temporary directory, removed by ``cleanUp()``).
    let protoDirectory: String

    /// Where the venv lives unless `TRIBUTARY_BENCH_VENV` says otherwise: shared by worktrees, outside the repo.
    static var defaultVenv: String {
        if let path = ProcessInfo.processInfo.environment["TRIBUTARY_BENCH_VENV"] { return path }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/tributary-bench/venv").path
    }

    /// Makes the baseline runnable, or says why it cannot be.
    /// - Parameter venv: the virtual environment to use, created when it does not import both packages.
    static func prepare(venv: String) async -> Result<PythonBaseline, ToolError> {
        let files = FileManager.default
        guard files.fileExists(atPath: script), files.fileExists(atPath: protoRoot + "/tributary/v1") else {
            return .failure(ToolError("run the bench from the repository root (\(script) and proto/ not found)"))
        }
        do {
            let python = venv + "/bin/python"
            if try await !imports(python) {
                print("setting up the Python baseline's venv in \(venv) (pip install -r \(requirements))…")
                let created = try await HelperCommand.run("/usr/bin/env", ["python3", "-m", "venv", venv])
                guard created.code == 0 else { return .failure(ToolError("python3 -m venv failed: \(created.errors)")) }
                let installed = try await HelperCommand.run(
                    python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements])
                guard installed.code == 0 else {
                    return .failure(ToolError("pip install failed: \(installed.errors.suffix(600))"))
                }
                guard try await imports(python) else {
                    return .failure(ToolError("the venv still cannot import confluent_kafka and google.protobuf"))
                }
            }
            let output = files.temporaryDirectory.appendingPathComponent("tributary-bench-py-\(getpid())").path
            try files.createDirectory(atPath: output, withIntermediateDirectories: true)
            let protos = try files.contentsOfDirectory(atPath: protoRoot + "/tributary/v1")
                .filter { $0.hasSuffix(".proto") }.sorted().map { protoRoot + "/tributary/v1/" + $0 }
            let generated = try await HelperCommand.run(
                "/usr/bin/env", ["protoc", "--python_out=\(output)", "-I", protoRoot] + protos)
            guard generated.code == 0 else { return .failure(ToolError("protoc --python_out failed: \(generated.errors)")) }
            return .success(PythonBaseline(python: python, protoDirectory: output))
        } catch let error as ToolError {
            return .failure(error)
        } catch {
            return .failure(ToolError("\(error)"))
        }
    }

    /// Whether `python` exists and imports both packages.
    private static func imports(_ python: String) async throws -> Bool {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        return try await HelperCommand.run(python, ["-c", "import confluent_kafka, google.protobuf"]).code == 0
    }

    /// The packages' versions, for the report: `confluent-kafka 2.x (librdkafka 2.x), protobuf 4.x (upb)`.
    func versions() async -> String {
        let probe = """
            import confluent_kafka, google.protobuf, importlib.metadata
            from google.protobuf.internal import api_implementation
            print(f"confluent-kafka {importlib.metadata.version('confluent-kafka')} (librdkafka {confluent_kafka.libversion()[0]}), \
            protobuf {google.protobuf.__version__} ({api_implementation.Type()})")
            """
        let result = try? await HelperCommand.run(python, ["-c", probe])
        return result.map { $0.output.trimmingCharacters(in: .whitespacesAndNewlines) } ?? "unknown versions"
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: protoDirectory)
    }
}
