/// A set of short codes (up to fifteen bytes, as every NAACCR code is) tested without hashing: each code packed
/// into an integer (its bytes and its length), kept sorted, found by binary search. Longer codes fall back to a Set.
public struct PackedCodeSet: Sendable {
    private let packed: [UInt128]
    private let long: Set<String>

    public init<S: Sequence>(_ codes: S) where S.Element == String {
        var packed: [UInt128] = [], long: Set<String> = []
        for code in codes {
            if let p = Self.pack(code) { packed.append(p) } else { long.insert(code) }
        }
        self.packed = Array(Set(packed)).sorted()
        self.long = long
    }

    @inline(__always) static func pack(_ code: String) -> UInt128? {
        var value: UInt128 = 0, count: UInt128 = 0
        for byte in code.utf8 {
            guard count < 15 else { return nil }
            value = value << 8 | UInt128(byte)
            count += 1
        }
        return value | count << 120
    }

    public func contains(_ code: String) -> Bool {
        guard let key = Self.pack(code) else { return long.contains(code) }
        var low = 0, high = packed.count
        while low < high {
            let mid = (low + high) >> 1
            if packed[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low < packed.count && packed[low] == key
    }
}
