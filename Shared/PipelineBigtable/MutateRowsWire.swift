internal import GRPCCore
internal import struct Foundation.Data

/// A MutateRows request written straight to protobuf wire bytes from ``BigtableMutationEntry`` values.
///
/// Building one SwiftProtobuf message per cell (and its size computed again at every nesting level) was most of
/// the bigtable-writer's own CPU per row; this writes the same bytes in two flat passes — sizes, then bytes — into
/// one buffer of exactly the right size. The layout is `google.bigtable.v2.MutateRowsRequest` (googleapis
/// bigtable.proto and data.proto; the generated messages are in BigtableProto), fields in field-number order and
/// proto3 defaults (empty strings and bytes, zero integers) left out, so the bytes equal SwiftProtobuf's
/// serialization of the equivalent message (MutateRowsWireTests checks that byte for byte).
struct MutateRowsWireRequest: Sendable {
    var tableName: String
    var appProfileID: String
    var entries: ArraySlice<BigtableMutationEntry>

    /// The size of each entry's message body, computed once for both passes.
    var entrySizes: [Int] { entries.map(\.wireSize) }

    /// The request's size in bytes, given ``entrySizes``.
    func encodedSize(entrySizes: [Int]) -> Int {
        var size = ProtoWire.stringFieldSize(tableName) + ProtoWire.stringFieldSize(appProfileID)
        for entrySize in entrySizes { size += ProtoWire.messageFieldSize(entrySize) }
        return size
    }

    /// Writes the request into `buffer`, which must hold exactly ``encodedSize(entrySizes:)`` bytes.
    func encode(into buffer: UnsafeMutableRawBufferPointer, entrySizes: [Int]) {
        var writer = ProtoWireWriter(buffer)
        writer.string(tableName, tag: 0x0A)  // table_name = 1
        for (entry, entrySize) in zip(entries, entrySizes) {
            writer.lengthPrefix(tag: 0x12, entrySize)  // entries = 2
            entry.write(to: &writer)
        }
        writer.string(appProfileID, tag: 0x1A)  // app_profile_id = 3
        precondition(writer.offset == buffer.count, "MutateRows wire size and bytes written disagree")
    }

    /// The request's wire bytes.
    var bytes: [UInt8] {
        let sizes = entrySizes
        let size = encodedSize(entrySizes: sizes)
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            encode(into: UnsafeMutableRawBufferPointer(buffer), entrySizes: sizes)
            count = size
        }
    }
}

/// gRPC's serializer for ``MutateRowsWireRequest``: encodes straight into the transport's buffer.
struct MutateRowsWireSerializer: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: MutateRowsWireRequest) throws -> Bytes {
        let sizes = message.entrySizes
        var bytes = Bytes(repeating: 0, count: message.encodedSize(entrySizes: sizes))
        bytes.withUnsafeMutableBytes { message.encode(into: $0, entrySizes: sizes) }
        return bytes
    }
}

// MARK: - Entries and mutations

extension BigtableMutationEntry {
    /// The size of the `MutateRowsRequest.Entry` message body.
    var wireSize: Int {
        var size = ProtoWire.bytesFieldSize(rowKey.count)
        for mutation in mutations { size += ProtoWire.messageFieldSize(mutation.wireSize) }
        return size
    }

    func write(to writer: inout ProtoWireWriter) {
        writer.bytes(rowKey, tag: 0x0A)  // row_key = 1
        for mutation in mutations { mutation.write(to: &writer) }  // mutations = 2, each with its prefix
    }
}

extension BigtableMutation {
    /// The size of the `Mutation` message body: its one oneof field, always present even when empty.
    var wireSize: Int {
        switch self {
        case .setCell(let family, let qualifier, let timestamp, let value):
            ProtoWire.messageFieldSize(Self.setCellSize(family, qualifier, timestamp, value))
        case .deleteFromColumn(let family, let qualifier, let start, let end):
            ProtoWire.messageFieldSize(Self.deleteFromColumnSize(family, qualifier, start, end))
        case .deleteFromFamily(let family):
            ProtoWire.messageFieldSize(ProtoWire.stringFieldSize(family))
        case .deleteFromRow:
            ProtoWire.messageFieldSize(0)
        }
    }

    /// Writes the mutation as a `mutations` (2) field of its entry: tag, length, then the message.
    func write(to writer: inout ProtoWireWriter) {
        switch self {
        case .setCell(let family, let qualifier, let timestamp, let value):
            let body = Self.setCellSize(family, qualifier, timestamp, value)
            writer.lengthPrefix(tag: 0x12, ProtoWire.messageFieldSize(body))
            writer.lengthPrefix(tag: 0x0A, body)  // set_cell = 1
            writer.string(family, tag: 0x0A)  // family_name = 1
            writer.bytes(qualifier, tag: 0x12)  // column_qualifier = 2
            writer.int64(timestamp, tag: 0x18)  // timestamp_micros = 3
            writer.bytes(value, tag: 0x22)  // value = 4
        case .deleteFromColumn(let family, let qualifier, let start, let end):
            let body = Self.deleteFromColumnSize(family, qualifier, start, end)
            writer.lengthPrefix(tag: 0x12, ProtoWire.messageFieldSize(body))
            writer.lengthPrefix(tag: 0x12, body)  // delete_from_column = 2
            writer.string(family, tag: 0x0A)  // family_name = 1
            writer.bytes(qualifier, tag: 0x12)  // column_qualifier = 2
            if start != nil || end != nil {  // time_range = 3: start_timestamp_micros = 1, end_timestamp_micros = 2
                writer.lengthPrefix(tag: 0x1A, Self.rangeSize(start, end))
                writer.int64(start ?? 0, tag: 0x08)
                writer.int64(end ?? 0, tag: 0x10)
            }
        case .deleteFromFamily(let family):
            let body = ProtoWire.stringFieldSize(family)
            writer.lengthPrefix(tag: 0x12, ProtoWire.messageFieldSize(body))
            writer.lengthPrefix(tag: 0x1A, body)  // delete_from_family = 3
            writer.string(family, tag: 0x0A)  // family_name = 1
        case .deleteFromRow:
            writer.lengthPrefix(tag: 0x12, ProtoWire.messageFieldSize(0))
            writer.lengthPrefix(tag: 0x22, 0)  // delete_from_row = 4
        }
    }

    private static func setCellSize(_ family: String, _ qualifier: Data, _ timestamp: Int64, _ value: Data) -> Int {
        ProtoWire.stringFieldSize(family) + ProtoWire.bytesFieldSize(qualifier.count)
            + ProtoWire.int64FieldSize(timestamp) + ProtoWire.bytesFieldSize(value.count)
    }

    private static func deleteFromColumnSize(_ family: String, _ qualifier: Data, _ start: Int64?, _ end: Int64?) -> Int {
        let range = start != nil || end != nil ? ProtoWire.messageFieldSize(rangeSize(start, end)) : 0
        return ProtoWire.stringFieldSize(family) + ProtoWire.bytesFieldSize(qualifier.count) + range
    }

    private static func rangeSize(_ start: Int64?, _ end: Int64?) -> Int {
        ProtoWire.int64FieldSize(start ?? 0) + ProtoWire.int64FieldSize(end ?? 0)
    }
}
