/// Short codes (up to fifteen bytes, as every NAACCR code is) found without hashing: each code packed into an integer
/// (its bytes and its length), kept sorted and searched by halves; longer codes fall back to a dictionary. A look-up
/// gives the code's position in the list it was built from, so a caller keeps whatever goes with each code (a staging
/// table's row) in an array of its own. For the look-ups done for every tumor.
public struct PackedCodeIndex: Sendable {
    private let keys: [UInt128]
    private let positions: [Int32]
    private let long: [String: Int]

    /// The first position of a code repeated in `codes` is the one found.
    public init(_ codes: [String]) {
        var packed: [UInt128] = [], at: [Int32] = [], long: [String: Int] = [:], seen = Set<UInt128>()
        for (i, code) in codes.enumerated() {
            if let p = Self.pack(code) {
                if seen.insert(p).inserted {
                    packed.append(p)
                    at.append(Int32(i))
                }
            } else if long[code] == nil {
                long[code] = i
            }
        }
        let order = packed.indices.sorted { packed[$0] < packed[$1] }
        keys = order.map { packed[$0] }
        positions = order.map { at[$0] }
        self.long = long
    }

    /// The code's bytes and its length in one integer; nil for a code longer than fifteen bytes.
    @inline(__always) static func pack(_ code: String) -> UInt128? {
        var value: UInt128 = 0, count: UInt128 = 0
        for byte in code.utf8 {
            guard count < 15 else { return nil }
            value = value << 8 | UInt128(byte)
            count += 1
        }
        return value | count << 120
    }

    /// The position of `code` in the list the index was built from, nil when it is not there.
    public func position(of code: String) -> Int? {
        guard let key = Self.pack(code) else { return long[code] }
        var low = 0, high = keys.count
        while low < high {
            let mid = (low + high) >> 1
            if keys[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low < keys.count && keys[low] == key ? Int(positions[low]) : nil
    }
}

/// A set of short codes tested without hashing (`PackedCodeIndex`).
public struct PackedCodeSet: Sendable {
    private let index: PackedCodeIndex

    public init<S: Sequence>(_ codes: S) where S.Element == String { index = PackedCodeIndex(Array(codes)) }

    public func contains(_ code: String) -> Bool { index.position(of: code) != nil }
}
