/// Finds an item key from the raw UTF-8 bytes of a `naaccrId`, without building a String:
/// an open-addressing table keyed by FNV-1a hashes, used by the XML reader's inner loop.
final class ItemIdLookup: Sendable {
    private struct Entry: Sendable {
        var hash: UInt64
        var bytes: [UInt8]
        var key: NaaccrItemKey
        var rule: NaaccrValueRule
    }
    private let entries: [Entry]
    private let slots: [Int32]
    private let mask: Int

    init(_ keys: [String: NaaccrItemKey], rules: (NaaccrItemKey) -> NaaccrValueRule) {
        var capacity = 16
        while capacity < keys.count * 3 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        var entries: [Entry] = []
        for (id, key) in keys.sorted(by: { $0.key < $1.key }) {
            let bytes = Array(id.utf8)
            let hash = bytes.withUnsafeBufferPointer { ItemIdLookup.hash($0.baseAddress!, $0.count) }
            var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(entries.count)
            entries.append(Entry(hash: hash, bytes: bytes, key: key, rule: rules(key)))
        }
        self.entries = entries
        self.slots = slots
        self.mask = capacity - 1
    }

    /// Mixes the length and the first and last eight bytes (ids differ there; equal hashes are compared in full).
    @inline(__always)
    static func hash(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var head: UInt64 = 0, tail: UInt64 = 0
        if count >= 8 {
            memcpy(&head, bytes, 8)
            memcpy(&tail, bytes + count - 8, 8)
        } else {
            for i in 0..<count { head = head << 8 | UInt64(bytes[i]) }
        }
        var h = head &* 0x9E37_79B9_7F4A_7C15 ^ (tail &+ UInt64(count)) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= h >> 29
        return h &* 0x1656_67B1_9E37_79F9
    }

    func lookup(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> (key: NaaccrItemKey, rule: NaaccrValueRule)? {
        let hash = ItemIdLookup.hash(bytes, count)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = slots[slot]
            if index < 0 { return nil }
            let found: (key: NaaccrItemKey, rule: NaaccrValueRule)? = entries.withUnsafeBufferPointer { all in
                let entry = all.baseAddress! + Int(index)
                guard entry.pointee.hash == hash else { return nil }
                return entry.pointee.bytes.withUnsafeBufferPointer { stored in
                    stored.count == count && memcmp(stored.baseAddress!, bytes, count) == 0 ? (entry.pointee.key, entry.pointee.rule) : nil
                }
            }
            if let found { return found }
            slot = (slot + 1) & mask
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
