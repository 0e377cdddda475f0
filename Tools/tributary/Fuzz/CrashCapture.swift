import Glibc

/// Keeps the input being fuzzed where a signal handler can reach it, so a crash (a Swift trap is SIGILL or
/// SIGTRAP, a memory fault SIGSEGV or SIGBUS) leaves the input in a file and its target's name on stderr before
/// the runtime's own handler prints the backtrace.
///
/// Everything the handler touches is allocated up front; it only calls `open`, `write`, `close` and
/// `sigaction`, which are async-signal-safe.
enum CrashCapture {
    private static let capacity = 1 << 20
    // Written by the fuzzing thread before each input, read only by the signal handler on that same thread.
    nonisolated(unsafe) private static var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    nonisolated(unsafe) private static var length = 0
    nonisolated(unsafe) private static var path = UnsafeMutablePointer<CChar>.allocate(capacity: 4096)
    nonisolated(unsafe) private static var message = UnsafeMutablePointer<CChar>.allocate(capacity: 512)
    nonisolated(unsafe) private static var messageLength = 0
    nonisolated(unsafe) private static var previous: [sigaction] = Array(repeating: sigaction(), count: 32)
    static let signals = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT]

    static func install(path text: String) {
        let bytes = Array(text.utf8.prefix(4095)) + [0]
        bytes.withUnsafeBufferPointer { source in
            path.update(from: UnsafeRawPointer(source.baseAddress!).assumingMemoryBound(to: CChar.self), count: source.count)
        }
        setTarget("")
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in CrashCapture.handle(signal) }
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, &previous[Int(signal)])
        }
    }

    /// The line printed on a crash names the target.
    static func setTarget(_ name: String) {
        let text = Array("\ntributary fuzz: crash in target \(name); the input is in ".utf8.prefix(400))
        text.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(message).copyMemory(from: source.baseAddress!, byteCount: source.count)
        }
        messageLength = text.count
    }

    static func record(_ input: [UInt8]) {
        length = min(input.count, capacity)
        guard length > 0 else { return }
        input.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: length) }
    }

    private static func handle(_ signal: Int32) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd >= 0 {
            _ = write(fd, buffer, length)
            close(fd)
        }
        _ = write(2, message, messageLength)
        _ = write(2, path, strlen(path))
        _ = write(2, "\n", 1)
        // Back to the runtime's handler (or the default): returning re-runs the faulting instruction, which
        // raises the signal again for it (abort() raises again itself).
        sigaction(signal, &previous[Int(signal)], nil)
    }
}
