import CLibPQ

/// Parameters laid out for libpq: one byte buffer holding every value, with offsets into it.
///
/// The C pointers handed to libpq exist only inside `withLibPQArrays`, so none can outlive the buffer.
struct BoundParameters {
    private var bytes: [UInt8] = [0]  // never empty, so the buffer always has a base address
    private var offsets: [Int?] = []
    var lengths: [Int32] = []
    var formats: [Int32] = []
    var types: [Oid] = []

    var count: Int { offsets.count }

    init(_ bindings: PostgresBindings, statement: String) throws {
        offsets.reserveCapacity(bindings.count)
        for (position, binding) in bindings.enumerated() {
            guard let binding else {
                offsets.append(nil); lengths.append(0); formats.append(0); types.append(0)
                continue
            }
            types.append(Oid(type(of: binding).postgresTypeOID))
            offsets.append(bytes.count)
            switch binding.postgresParameter {
            case .text(let text):
                let start = bytes.count
                bytes.append(contentsOf: text.utf8)
                if bytes[start...].contains(0) {
                    throw PostgresError(.encoding, message: "parameter $\(position + 1) contains a NUL byte, which PostgreSQL text cannot hold",
                                        statement: statement)
                }
                lengths.append(Int32(bytes.count - start))
                bytes.append(0)
                formats.append(0)
            case .binary(let data):
                bytes.append(contentsOf: data)
                lengths.append(Int32(data.count))
                formats.append(1)
            }
        }
    }

    /// Calls `body` with the arrays libpq's `PQexecParams`/`PQsendQueryPrepared` take.
    func withLibPQArrays<R>(
        _ body: (_ values: [UnsafePointer<CChar>?], _ lengths: [Int32], _ formats: [Int32]) throws -> R
    ) rethrows -> R {
        try bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!)
            let values = offsets.map { offset in offset.map { (base + $0).assumingMemoryBound(to: CChar.self) } }
            return try body(values, lengths, formats)
        }
    }
}
