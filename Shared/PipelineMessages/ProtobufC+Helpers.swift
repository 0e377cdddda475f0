internal import CPipelineProto
internal import CProtobufC

// Copies out of unpacked protobuf-c messages. The wire validator has already checked every string for
// UTF-8 and NUL, so these only copy.

extension String {
    /// Copies a protobuf-c string; absent strings are null or empty.
    init(protobufC pointer: UnsafePointer<CChar>?) {
        guard let pointer else {
            self = ""
            return
        }
        // Validated already, so the standard library's repair of invalid UTF-8 never applies.
        self = String(cString: pointer)
    }
}

extension Array where Element == UInt8 {
    init(cBinary data: ProtobufCBinaryData) {
        guard let bytes = data.data, data.len > 0 else {
            self = []
            return
        }
        self = Array(UnsafeBufferPointer(start: bytes, count: data.len))
    }
}

extension Array where Element == String {
    /// Copies a repeated string field (`n_x`, `x`).
    init(cCount count: Int, _ strings: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
        guard let strings, count > 0 else {
            self = []
            return
        }
        self = (0..<count).map { String(protobufC: strings[$0]) }
    }
}

extension Dictionary where Key == String {
    /// Copies a map field, which protobuf-c unpacks as repeated entries. A repeated key keeps its last
    /// value, as protobuf specifies.
    ///
    /// - Parameter entry: Reads an entry's key pointer and converted value.
    init<Entry>(
        cCount count: Int, _ entries: UnsafeMutablePointer<UnsafeMutablePointer<Entry>?>?,
        entry: (Entry) -> (UnsafeMutablePointer<CChar>?, Value)
    ) {
        self.init()
        guard let entries, count > 0 else { return }
        reserveCapacity(count)
        for index in 0..<count {
            guard let pointer = entries[index] else { continue }
            let (key, value) = entry(pointer.pointee)
            self[String(protobufC: key)] = value
        }
    }
}
