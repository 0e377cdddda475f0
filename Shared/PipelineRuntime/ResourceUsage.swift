import Glibc

/// This process's CPU time and peak memory, from `getrusage`: what benchmarks report per event, because CPU time
/// varies far less than wall time on a shared, noisy machine.
public struct ResourceUsage: Sendable, Equatable {
    /// User plus system CPU seconds of every thread of the process so far.
    public var cpuSeconds: Double
    /// Peak resident set size, bytes.
    public var peakResidentBytes: Int

    /// Reads the current figures (of the children waited for, with `children: true`).
    public static func current(children: Bool = false) -> ResourceUsage {
        var usage = rusage()
        getrusage(children ? RUSAGE_CHILDREN.rawValue : RUSAGE_SELF.rawValue, &usage)
        let cpu =
            Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
        return ResourceUsage(cpuSeconds: cpu, peakResidentBytes: Int(usage.ru_maxrss) * 1024)
    }
}
