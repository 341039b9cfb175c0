/// The values of one record level, sparse: only items that have a value are stored,
/// sorted by their dense index in the dictionary.
public struct NaaccrValues: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var index: Int
        public var value: String
    }
    public private(set) var entries: [Entry] = []

    public init() {}

    /// Values already sorted by index, each index once.
    init(sortedEntries: [Entry]) { entries = sortedEntries }

    /// The value at a dense index, nil when blank.
    public subscript(index: Int) -> String? {
        get {
            var low = 0, high = entries.count
            while low < high {
                let mid = (low + high) >> 1
                if entries[mid].index < index { low = mid + 1 } else { high = mid }
            }
            return low < entries.count && entries[low].index == index ? entries[low].value : nil
        }
        set {
            var low = 0, high = entries.count
            if let last = entries.last, last.index < index {
                low = entries.count
            } else {
                while low < high {
                    let mid = (low + high) >> 1
                    if entries[mid].index < index { low = mid + 1 } else { high = mid }
                }
            }
            let present = low < entries.count && entries[low].index == index
            switch (newValue, present) {
            case (nil, true), ("", true): entries.remove(at: low)
            case (nil, false), ("", false): break
            case (let value?, true): entries[low].value = value
            case (let value?, false): entries.insert(Entry(index: index, value: value), at: low)
            }
        }
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// Room for `count` values without growing (readers pass the size of the previous record).
    public mutating func reserveCapacity(_ count: Int) { entries.reserveCapacity(count) }

    /// Stores `value` at `index` unless a value is already there; false when one was (the reader's duplicate check,
    /// with a fast path for items arriving in dictionary order).
    mutating func insertIfAbsent(_ index: Int, _ value: String) -> Bool {
        if entries.isEmpty || entries[entries.count - 1].index < index {
            entries.append(Entry(index: index, value: value))
            return true
        }
        guard self[index] == nil else { return false }
        self[index] = value
        return true
    }
}

/// A patient as NAACCR exchanges it: patient-level items and the patient's tumors.
public struct NaaccrPatient: Sendable {
    public let dictionary: NaaccrDictionary
    public var values = NaaccrValues()
    public var tumors: [NaaccrTumor] = []
    /// Value-level problems found while reading (the record is still usable; bad values were kept or dropped as noted).
    public var issues: [NaaccrIssue] = []
    /// Line of the `<Patient>` element in the source file (0 when not read from a file).
    public var line = 0

    public init(dictionary: NaaccrDictionary) { self.dictionary = dictionary }

    /// A patient-level value by `naaccrId` (nil when blank or not a patient item).
    public subscript(naaccrId: String) -> String? {
        guard let key = dictionary.key(naaccrId), key.level == .patient else { return nil }
        return values[key.index]
    }

    /// A patient-level value by key.
    public subscript(key: NaaccrItemKey) -> String? {
        get { values[key.index] }
        set { values[key.index] = newValue }
    }

    /// Sets a patient-level value; throws for an unknown item or one of another level.
    public mutating func set(_ naaccrId: String, _ value: String?) throws {
        values[try dictionary.requireKey(naaccrId, level: .patient).index] = value
    }
}

/// One tumor's abstract: the tumor-level items.
public struct NaaccrTumor: Sendable {
    public let dictionary: NaaccrDictionary
    public var values = NaaccrValues()
    /// Line of the `<Tumor>` element in the source file.
    public var line = 0

    public init(dictionary: NaaccrDictionary) { self.dictionary = dictionary }

    public subscript(naaccrId: String) -> String? {
        guard let key = dictionary.key(naaccrId), key.level == .tumor else { return nil }
        return values[key.index]
    }

    public subscript(key: NaaccrItemKey) -> String? {
        get { values[key.index] }
        set { values[key.index] = newValue }
    }

    public mutating func set(_ naaccrId: String, _ value: String?) throws {
        values[try dictionary.requireKey(naaccrId, level: .tumor).index] = value
    }
}

/// Problems with setting an item by id.
public enum NaaccrItemError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownItem(String)
    case wrongLevel(naaccrId: String, expected: NaaccrLevel, actual: NaaccrLevel)

    public var description: String {
        switch self {
        case .unknownItem(let id): return "unknown NAACCR item \(id)"
        case let .wrongLevel(id, expected, actual): return "item \(id) belongs to \(actual.rawValue), not \(expected.rawValue)"
        }
    }
}

extension NaaccrDictionary {
    /// The key of `naaccrId`, which must belong to `level`.
    public func requireKey(_ naaccrId: String, level: NaaccrLevel) throws -> NaaccrItemKey {
        guard let key = key(naaccrId) else { throw NaaccrItemError.unknownItem(naaccrId) }
        guard key.level == level else { throw NaaccrItemError.wrongLevel(naaccrId: naaccrId, expected: level, actual: key.level) }
        return key
    }
}
