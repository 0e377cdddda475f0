import Glibc
import Synchronization

/// Where finished log lines go: standard error in services, a buffer in tests.
public struct LogSink: Sendable {
    private let writeLine: @Sendable ([UInt8]) -> Void

    /// Creates a sink from a closure that receives each complete line.
    public init(_ writeLine: @escaping @Sendable ([UInt8]) -> Void) {
        self.writeLine = writeLine
    }

    /// Delivers one complete line.
    public func write(_ line: [UInt8]) {
        self.writeLine(line)
    }

    /// Serialises writers so a line is never split by another thread's line, even when `write(2)` is partial.
    private static let standardErrorLock = Mutex(())

    /// Standard error, one `write(2)` per line (more only if the kernel accepts part of it).
    public static let standardError = LogSink { line in
        Self.standardErrorLock.withLock { _ in
            line.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return  // stderr closed or broken: dropping the line beats crashing the service
                    }
                }
            }
        }
    }
}
