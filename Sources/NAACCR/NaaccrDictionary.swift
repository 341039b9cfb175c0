import Synchronization
import Foundation

/// A set of NAACCR item definitions (a base dictionary, optionally merged with user dictionaries),
/// with each level's items numbered densely for fast record access.
public final class NaaccrDictionary: Sendable {
    /// `dictionaryUri` of the base dictionary.
    public let uri: String
    /// `naaccrVersion`, e.g. `260`.
    public let naaccrVersion: String
    /// URIs of merged user dictionaries.
    public let userDictionaryUris: [String]
    /// All items, per level in `naaccrNum` order.
    public let items: [NaaccrLevel: [NaaccrItem]]
    private let keysById: [String: NaaccrItemKey]
    private let keysByNumber: [Int: NaaccrItemKey]
    let byteLookup: ItemIdLookup
    /// Items and validation rules by level ordinal, for hot loops (no hashing).
    private let itemsByOrdinal: [[NaaccrItem]]
    private let rulesByOrdinal: [[NaaccrValueRule]]

    /// The NAACCR XML specification version the dictionary was written to (a file's `specificationVersion`, "1.0" when
    /// the file has none; the current version for dictionaries built in code).
    public let specificationVersion: String

    /// Builds a dictionary; items are numbered per level in `naaccrNum` order.
    public init(uri: String, naaccrVersion: String, items: [NaaccrItem], userDictionaryUris: [String] = [],
                specificationVersion: String = NaaccrSpecification.versions.last!) throws {
        self.specificationVersion = specificationVersion
        var perLevel: [NaaccrLevel: [NaaccrItem]] = [:]
        for level in NaaccrLevel.allCases {
            perLevel[level] = items.filter { $0.level == level }.sorted { $0.naaccrNum < $1.naaccrNum }
        }
        var keys: [String: NaaccrItemKey] = [:]
        var numbers: [Int: NaaccrItemKey] = [:]
        for (level, levelItems) in perLevel {
            for (index, item) in levelItems.enumerated() {
                let key = NaaccrItemKey(level: level, index: index)
                guard keys[item.naaccrId] == nil else { throw NaaccrDictionaryError.duplicateItem(item.naaccrId) }
                guard numbers.updateValue(key, forKey: item.naaccrNum) == nil else { throw NaaccrDictionaryError.duplicateNumber(item.naaccrNum) }
                keys[item.naaccrId] = key
            }
        }
        self.uri = uri
        self.naaccrVersion = naaccrVersion
        self.userDictionaryUris = userDictionaryUris
        self.items = perLevel
        self.keysById = keys
        self.keysByNumber = numbers
        let rules = NaaccrLevel.allCases.map { perLevel[$0]!.map(\.rule) }
        itemsByOrdinal = NaaccrLevel.allCases.map { perLevel[$0]! }
        rulesByOrdinal = rules
        byteLookup = ItemIdLookup(keys) { rules[$0.level.ordinal][$0.index] }
    }

    /// The key of an item, or nil if the dictionary has no such item.
    public func key(_ naaccrId: String) -> NaaccrItemKey? { keysById[naaccrId] }

    /// The key of the item with this `naaccrNum`, or nil if the dictionary has none.
    public func key(naaccrNum: Int) -> NaaccrItemKey? { keysByNumber[naaccrNum] }

    /// The definition of an item by id.
    public func item(_ naaccrId: String) -> NaaccrItem? { keysById[naaccrId].map { item($0) } }

    /// The definition behind a key.
    public func item(_ key: NaaccrItemKey) -> NaaccrItem { itemsByOrdinal[key.level.ordinal][key.index] }

    /// What validation needs of the item behind a key.
    public func rule(_ key: NaaccrItemKey) -> NaaccrValueRule { rulesByOrdinal[key.level.ordinal][key.index] }

    /// How many items a level has.
    public func count(_ level: NaaccrLevel) -> Int { itemsByOrdinal[level.ordinal].count }

    /// Every item, all levels.
    public var allItems: [NaaccrItem] { NaaccrLevel.allCases.flatMap { items[$0]! } }

    /// This dictionary plus the items of `user` dictionaries (registry-specific items).
    /// Throws when a user item reuses an id or number of the base.
    public func merging(_ user: [NaaccrDictionary]) throws -> NaaccrDictionary {
        guard !user.isEmpty else { return self }
        return try NaaccrDictionary(uri: uri, naaccrVersion: naaccrVersion, items: allItems + user.flatMap(\.allItems),
                                    userDictionaryUris: userDictionaryUris + user.map(\.uri), specificationVersion: specificationVersion)
    }

    /// The built-in NAACCR version 26 base dictionary (771 items): the current version, which imports convert to.
    public static let v26: NaaccrDictionary = {
        guard let source = builtInSources.first(where: { $0.uri == "http://naaccr.org/naaccrxml/naaccr-dictionary-260.xml" }) else {
            preconditionFailure("the v26 base dictionary is not built in")
        }
        return source.dictionary()
    }()

    /// The built-in dictionaries by `dictionaryUri`: the base dictionaries of v14 to v26 and the default user
    /// dictionaries of v14 to v21 (`scripts/gen-dictionary`), each built the first time it is asked for.
    public static func builtIn(uri: String) -> NaaccrDictionary? {
        if uri == v26.uri { return v26 }
        return BuiltInDictionaryCache.shared.dictionary(uri: uri)
    }

    /// The URIs of the built-in base dictionaries, oldest version first.
    public static var builtInBaseURIs: [String] { builtInSources.filter { !$0.isUserDictionary && !$0.flatLayoutOnly }.map(\.uri) }

    /// The dictionaries of the flat (fixed-width) versions 12 to 18, oldest first: for v14 to v18 the base dictionary
    /// with its default user dictionary (their items carry `startColumn`), for v12 and v13 the items of the published
    /// record layouts (`scripts/gen-dictionary`).
    public static let flatVersions: [NaaccrDictionary] = {
        builtInSources.filter { !$0.isUserDictionary && ($0.flatLayoutOnly || $0.naaccrVersion <= "180") }.compactMap { source in
            guard let base = builtIn(uri: source.uri) else { return nil }
            guard let user = defaultUserDictionary(forBase: base) else { return base }
            return try? base.merging([user])
        }.sorted { $0.naaccrVersion < $1.naaccrVersion }
    }()

    /// The default user dictionary NAACCR published for a base dictionary's version (v14 to v21), which a file of
    /// that version uses when it names no user dictionary of its own; nil for v22 and later.
    public static func defaultUserDictionary(forBase base: NaaccrDictionary) -> NaaccrDictionary? {
        builtInSources.first { $0.isUserDictionary && $0.naaccrVersion == base.naaccrVersion }.flatMap { builtIn(uri: $0.uri) }
    }
}

/// One built-in dictionary in the project's compact format (see `scripts/gen-dictionary`).
struct BuiltInDictionarySource: Sendable {
    let uri: String
    let naaccrVersion: String
    let specificationVersion: String
    let isUserDictionary: Bool
    /// A flat record layout of a version that has no XML dictionary (v12, v13): readable in flat files only.
    let flatLayoutOnly: Bool
    let dateLastModified: String
    let items: String

    func dictionary() -> NaaccrDictionary {
        let parsed = items.split(separator: "\n").map { line -> NaaccrItem in
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let level: NaaccrLevel = f[4] == "D" ? .naaccrData : f[4] == "P" ? .patient : .tumor
            let padding: NaaccrPadding = ["L": .leftZero, "R": .rightBlank, "B": .leftBlank, "Z": .rightZero][f[6]] ?? .none
            return NaaccrItem(naaccrId: f[0], naaccrNum: Int(f[1])!, name: f[9], length: Int(f[2])!,
                              dataType: NaaccrDataType(rawValue: f[3])!, level: level,
                              recordTypes: NaaccrRecordTypes(letters: f[5]), padding: padding, allowUnlimitedText: f[7] == "1",
                              startColumn: Int(f[8]))
        }
        do {
            return try NaaccrDictionary(uri: uri, naaccrVersion: naaccrVersion, items: parsed, specificationVersion: specificationVersion)
        } catch {
            preconditionFailure("the built-in dictionary \(uri) is inconsistent: \(error)")
        }
    }
}

/// Built-in dictionaries parsed so far (each is parsed once, on first use, from any thread).
final class BuiltInDictionaryCache: Sendable {
    static let shared = BuiltInDictionaryCache()
    private let parsed = Mutex<[String: NaaccrDictionary]>([:])

    func dictionary(uri: String) -> NaaccrDictionary? {
        if let known = parsed.withLock({ $0[uri] }) { return known }
        guard let source = NaaccrDictionary.builtInSources.first(where: { $0.uri == uri }) else { return nil }
        let dictionary = source.dictionary()
        return parsed.withLock { cache in
            if let raced = cache[uri] { return raced }
            cache[uri] = dictionary
            return dictionary
        }
    }
}

/// Why a dictionary could not be built or loaded.
public enum NaaccrDictionaryError: Error, Sendable, Equatable, CustomStringConvertible {
    case duplicateItem(String)
    case duplicateNumber(Int)
    case malformed(line: Int, reason: String)
    case invalidItemDef(naaccrId: String, reason: String)
    case unknownBaseDictionary(String)

    public var description: String {
        switch self {
        case .duplicateItem(let id): return "item \(id) is defined twice"
        case .duplicateNumber(let number): return "item number \(number) is used twice"
        case let .malformed(line, reason): return "dictionary XML, line \(line): \(reason)"
        case let .invalidItemDef(id, reason): return "ItemDef \(id): \(reason)"
        case .unknownBaseDictionary(let uri): return "no built-in base dictionary for \(uri.prefix(200)) (built in: NAACCR v14 to v26); give the dictionary file with --dictionary FILE.xml"
        }
    }
}
