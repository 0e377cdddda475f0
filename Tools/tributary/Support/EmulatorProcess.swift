import Foundation
import Glibc

/// The Bigtable emulator as a child of `tributary up`, on 127.0.0.1 and a free port.
struct EmulatorProcess: Sendable {
    static let defaultBinary = "/usr/lib/google-cloud-sdk/platform/bigtable-emulator/cbtemulator"
    static let installAdvice =
        "install the Google Cloud CLI's Bigtable emulator (`gcloud components install bigtable`, or Debian's "
        + "google-cloud-cli-bigtable-emulator) or point BIGTABLE_EMULATOR_BIN at cbtemulator"

    let child: ChildProcess
    let hostPort: String

    static func start(binary: String, standardError: ChildProcess.Output) async throws -> EmulatorProcess {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ToolError("the Bigtable emulator is missing at \(binary): \(installAdvice)")
        }
        let port = try FreePort.pick()
        let child = try ChildProcess(
            name: "bigtable", executable: binary, arguments: ["-host", "127.0.0.1", "-port", "\(port)"],
            standardOutput: standardError, standardError: standardError)
        let deadline = ContinuousClock.now.advanced(by: .seconds(20))
        while ContinuousClock.now < deadline {
            if FreePort.accepts(port: port) { return EmulatorProcess(child: child, hostPort: "127.0.0.1:\(port)") }
            if let code = child.exitCode { throw ToolError("the Bigtable emulator exited with \(code)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        await child.stop(grace: .seconds(2))
        throw ToolError("the Bigtable emulator did not accept connections within 20 s")
    }

    func stop() async {
        await child.stop(grace: .seconds(5))
    }
}

/// Loopback ports: one the kernel says is free, and whether something listens on one.
enum FreePort {
    static func pick() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ToolError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw ToolError("bind() failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
