import Foundation
import Glibc
import PipelineRuntime

/// CPU time of processes that do not report their own: a running child (the emulator) from `/proc/PID/stat`,
/// and a finished one (cbt, the generator) from the growth of this process's `RUSAGE_CHILDREN` while it ran.
enum ChildCPU {
    /// User plus system CPU seconds of a running process so far, or `nil` when `/proc` cannot tell.
    static func seconds(pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command name: state is field 3, utime and stime are fields 14 and 15.
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPU seconds of the children this process has waited for, all together. The difference across one child's
    /// run is that child's CPU, as long as no other child ends meanwhile (the bench runs them one at a time).
    static func waitedChildren() -> Double {
        ResourceUsage.current(children: true).cpuSeconds
    }
}
