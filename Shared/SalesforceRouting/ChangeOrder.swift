/// Where a change sits in a record's history: commit time, then commit number (the system change number, which
/// tells apart commits in the same millisecond), then the sequence number within the transaction.
public struct ChangeOrder: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var commitTimestampMs: Int64
    public var commitNumber: Int64
    public var sequenceNumber: Int32

    public init(commitTimestampMs: Int64, commitNumber: Int64, sequenceNumber: Int32) {
        self.commitTimestampMs = commitTimestampMs
        self.commitNumber = commitNumber
        self.sequenceNumber = sequenceNumber
    }

    public static func < (a: ChangeOrder, b: ChangeOrder) -> Bool {
        (a.commitTimestampMs, a.commitNumber, a.sequenceNumber) < (b.commitTimestampMs, b.commitNumber, b.sequenceNumber)
    }

    public var description: String { "\(commitTimestampMs)/\(commitNumber)/\(sequenceNumber)" }
}
