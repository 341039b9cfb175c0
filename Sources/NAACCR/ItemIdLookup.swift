/// Finds an item key from the raw UTF-8 bytes of a `naaccrId`, without building a String:
/// an open-addressing table keyed by FNV-1a hashes, used by the XML reader's inner loop.
struct ItemIdLookup: Sendable {
    private struct Entry: Sendable {
        var hash: UInt64
        var bytes: [UInt8]
        var key: NaaccrItemKey
    }
    private let entries: [Entry]
    private let slots: [Int32]
    private let mask: Int

    init(_ keys: [String: NaaccrItemKey]) {
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
            entries.append(Entry(hash: hash, bytes: bytes, key: key))
        }
        self.entries = entries
        self.slots = slots
        self.mask = capacity - 1
    }

    @inline(__always)
    static func hash(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in 0..<count { h = (h ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01b3 }
        return h
    }

    func lookup(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> NaaccrItemKey? {
        let hash = ItemIdLookup.hash(bytes, count)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = slots[slot]
            if index < 0 { return nil }
            let entry = entries[Int(index)]
            if entry.hash == hash, entry.bytes.count == count,
                entry.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes, count) == 0 }) {
                return entry.key
            }
            slot = (slot + 1) & mask
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
