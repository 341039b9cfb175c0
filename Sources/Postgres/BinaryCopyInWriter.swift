import CLibPQ

/// Streams rows to a running `COPY … FROM STDIN (FORMAT binary)`.
///
/// Each field goes as a length and its bytes, so nothing is escaped on either side: text and `json` columns
/// take their UTF-8 bytes as they are, integers go in network byte order. Rows are gathered in a 64 KiB
/// buffer that is sent with `PQputCopyData` whenever it fills.
public struct BinaryCopyInWriter: ~Copyable {
    private let connection: PostgresConnection
    private var buffer: [UInt8] = []
    private let flushThreshold = 64 * 1024
    /// Rows appended so far.
    public private(set) var rowCount = 0

    init(connection: PostgresConnection) {
        self.connection = connection
        buffer.reserveCapacity(flushThreshold + 16 * 1024)
        // Signature, flags (no OIDs), header extension length.
        buffer.append(contentsOf: [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00])
        appendInteger(Int32(0))
        appendInteger(Int32(0))
    }

    /// Starts a row of `fieldCount` fields; append exactly that many fields after it.
    public mutating func beginRow(fieldCount: Int) throws {
        if buffer.count >= flushThreshold { try flush() }
        appendInteger(Int16(fieldCount))
        rowCount += 1
    }

    /// Appends SQL NULL.
    public mutating func appendNull() { appendInteger(Int32(-1)) }

    /// Appends a text (or `json`, `varchar`) field; `nil` is SQL NULL.
    public mutating func appendText(_ text: String?) {
        guard var text else { return appendNull() }
        text.withUTF8 { appendText(utf8: $0) }
    }

    /// Appends a text field given as UTF-8 bytes.
    public mutating func appendText(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        appendInteger(Int32(bytes.count))
        buffer.append(contentsOf: bytes)
    }

    /// Appends a text field whose bytes `write` appends to the buffer it is given (the length is filled in after).
    public mutating func appendText(writing write: (inout [UInt8]) -> Void) {
        let lengthAt = buffer.count
        appendInteger(Int32(0))
        write(&buffer)
        let length = UInt32(buffer.count - lengthAt - 4)
        buffer[lengthAt] = UInt8(length >> 24)
        buffer[lengthAt + 1] = UInt8((length >> 16) & 0xFF)
        buffer[lengthAt + 2] = UInt8((length >> 8) & 0xFF)
        buffer[lengthAt + 3] = UInt8(length & 0xFF)
    }

    /// Appends a `bigint` field.
    public mutating func appendInt64(_ value: Int64) {
        appendInteger(Int32(8))
        appendInteger(value)
    }

    /// Appends an `integer` field.
    public mutating func appendInt32(_ value: Int32) {
        appendInteger(Int32(4))
        appendInteger(value)
    }

    /// Appends a `smallint` field; `nil` is SQL NULL.
    public mutating func appendInt16(_ value: Int16?) {
        guard let value else { return appendNull() }
        appendInteger(Int32(2))
        appendInteger(value)
    }

    private mutating func appendInteger<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }

    /// Appends the trailer and sends what is left.
    mutating func finish() throws {
        appendInteger(Int16(-1))
        try flush()
    }

    mutating func flush() throws {
        try connection.putCopyData(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
