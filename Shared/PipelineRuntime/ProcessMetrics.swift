import Glibc

/// The standard Prometheus `process_*` metrics, read from `/proc/self` at scrape time.
///
/// Computed per scrape rather than by a background task: nothing runs between scrapes, and values are never stale.
public struct ProcessMetrics: Sendable, Equatable {
    /// User plus system CPU time, in seconds.
    public var cpuSeconds: Double
    /// Resident set size, in bytes.
    public var residentMemoryBytes: Int
    /// Virtual memory size, in bytes.
    public var virtualMemoryBytes: Int
    /// Process start, in seconds since the Unix epoch.
    public var startTimeSeconds: Double
    /// Open file descriptors, when `/proc/self/fd` is readable.
    public var openFileDescriptors: Int?
    /// The soft `RLIMIT_NOFILE` limit.
    public var maxFileDescriptors: Int?

    /// Reads the current values; `nil` where `/proc` is unavailable (macOS), so the metrics are then omitted.
    public static func sample() -> ProcessMetrics? {
        guard let stat = ProcFiles.read("/proc/self/stat"), let statm = ProcFiles.read("/proc/self/statm"),
            let times = Self.parseStat(stat, ticksPerSecond: Self.ticksPerSecond, bootTime: Self.bootTime),
            let memory = Self.parseStatm(statm, pageSize: Int(sysconf(Int32(_SC_PAGESIZE))))
        else { return nil }
        var limit = rlimit()
        let maxFDs = getrlimit(fileLimitResource, &limit) == 0 ? Int(clamping: limit.rlim_cur) : nil
        return ProcessMetrics(
            cpuSeconds: times.cpuSeconds, residentMemoryBytes: memory.resident, virtualMemoryBytes: memory.virtual,
            startTimeSeconds: times.startTime, openFileDescriptors: ProcFiles.countEntries("/proc/self/fd"),
            maxFileDescriptors: maxFDs)
    }

    // MARK: - Parsing

    /// Parses `/proc/self/stat`: fields 14/15 (utime, stime) and 22 (starttime), all in clock ticks.
    ///
    /// The command name (field 2) is in parentheses and may itself contain spaces or parentheses, so fields are
    /// counted from the *last* `)`.
    static func parseStat(_ stat: String, ticksPerSecond: Double, bootTime: Double)
        -> (cpuSeconds: Double, startTime: Double)?
    {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state), so field N is fields[N - 3].
        guard fields.count > 19, let utime = Double(fields[11]), let stime = Double(fields[12]),
            let start = Double(fields[19]), ticksPerSecond > 0
        else { return nil }
        return ((utime + stime) / ticksPerSecond, bootTime + start / ticksPerSecond)
    }

    /// Resident memory of another process (a child a bench or test started), or `nil` when `/proc` cannot tell.
    public static func residentBytes(pid: Int32) -> Int? {
        guard let statm = ProcFiles.read("/proc/\(pid)/statm") else { return nil }
        return parseStatm(statm, pageSize: Int(sysconf(Int32(_SC_PAGESIZE))))?.resident
    }

    /// Parses `/proc/self/statm`: total and resident pages.
    static func parseStatm(_ statm: String, pageSize: Int) -> (virtual: Int, resident: Int)? {
        let fields = statm.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count >= 2, let size = Int(fields[0]), let resident = Int(fields[1]) else { return nil }
        return (size * pageSize, resident * pageSize)
    }

    /// Parses the `btime` line of `/proc/stat`.
    static func parseBootTime(_ stat: String) -> Double? {
        for line in stat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingPrefix(" "))
        }
        return nil
    }

    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    private static let bootTime = ProcFiles.read("/proc/stat").flatMap(Self.parseBootTime) ?? 0
    private static let fileLimitResource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)

    // MARK: - Exposition

    /// Appends the metrics in Prometheus text format 0.0.4.
    public func emit(into buffer: inout [UInt8]) {
        var text = ""
        func metric(_ name: String, _ type: String, _ help: String, _ value: String) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
        }
        metric(
            "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.",
            String(self.cpuSeconds))
        metric(
            "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
            String(self.residentMemoryBytes))
        metric(
            "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
            String(self.virtualMemoryBytes))
        metric(
            "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.",
            String(self.startTimeSeconds))
        if let open = self.openFileDescriptors {
            metric("process_open_fds", "gauge", "Number of open file descriptors.", String(open))
        }
        if let max = self.maxFileDescriptors {
            metric("process_max_fds", "gauge", "Maximum number of open file descriptors.", String(max))
        }
        buffer.append(contentsOf: text.utf8)
    }
}
