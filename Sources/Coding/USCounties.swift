/// US counties and county equivalents by state: the FIPS county codes NAACCR items 90 (County at DX Reported), 89
/// (County at DX Analysis) and 1840 (County--Current) take within their state item (Addr at DX--State, 80), with the
/// years each code is valid (`scripts/gen-counties`: the Census Bureau's codes and its list of county changes, e.g.
/// Alaska's Valdez-Cordova 261 until 2019, then Chugach 063 and Copper River 066; Connecticut's planning regions
/// 110-190 from 2022 beside its eight counties).
public enum USCounties {
    /// One county or county equivalent.
    public struct County: Sendable, Equatable {
        /// Two-letter postal code of the state or territory.
        public let state: String
        /// Three-digit FIPS county code.
        public let code: String
        public let name: String
        /// First and last diagnosis year the code is valid in (nil: open); a change during a year leaves both codes valid in it.
        public let firstYear: Int?
        public let lastYear: Int?

        /// Whether the code is valid in a year (an unknown year: any year it ever was).
        public func isValid(in year: Int?) -> Bool {
            guard let year else { return true }
            return (firstYear.map { year >= $0 } ?? true) && (lastYear.map { year <= $0 } ?? true)
        }

        /// The name a picker shows: with the years when the code is valid in some years only.
        public var label: String { years.map { "\(name) (\($0))" } ?? name }

        /// "2019 and later", "until 2019", "2008-2015", or nil when always valid.
        public var years: String? {
            switch (firstYear, lastYear) {
            case let (first?, last?): return "\(first)-\(last)"
            case let (first?, nil): return "\(first) and later"
            case let (nil, last?): return "until \(last)"
            case (nil, nil): return nil
            }
        }
    }

    /// The special county codes of items 89/90 (not FIPS codes): valid in any state.
    public static let specialCodes: [(code: String, label: String)] = [
        ("998", "Resident outside the reporting area: town, city, state or country known, county unknown"),
        ("999", "County unknown"),
    ]

    /// Counties by state, in code order.
    public static let byState: [String: [County]] = {
        var out: [String: [County]] = [:]
        for line in CountyTableText.counties.split(separator: "\n") {
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            precondition(f.count == 5, "Counties.generated.swift: \(line)")
            out[f[0], default: []].append(County(state: f[0], code: f[1], name: f[2], firstYear: Int(f[3]), lastYear: Int(f[4])))
        }
        return out.mapValues { $0.sorted { $0.code < $1.code } }
    }()

    /// What a state and county code come to, looked up without hashing (the edits ask for every tumor).
    public enum Lookup: Sendable, Equatable {
        /// The state is not one with FIPS counties here (or not a two-letter code).
        case stateNotCovered
        /// The state has no such county code (or the code is not three digits).
        case notACounty
        case county(County)
    }

    /// Every county, and a dense index: a state's slot (by its two letters) times 1,000 plus the code gives 1 + the
    /// county's position in `flat` (0: none).
    private static let flat: [County] = byState.keys.sorted().flatMap { byState[$0]! }
    private static let stateSlots: [Int16] = {
        var slots = [Int16](repeating: -1, count: 26 * 26)
        for (i, state) in byState.keys.sorted().enumerated() { slots[letterIndex(state)!] = Int16(i) }
        return slots
    }()
    private static let codeIndex: [Int32] = {
        var index = [Int32](repeating: 0, count: byState.count * 1000)
        for (i, county) in flat.enumerated() {
            index[Int(stateSlots[letterIndex(county.state)!]) * 1000 + Int(county.code)!] = Int32(i + 1)
        }
        return index
    }()

    private static func letterIndex(_ state: String) -> Int? {
        var u = state.utf8.makeIterator()
        guard let a = u.next(), let b = u.next(), u.next() == nil, (65...90).contains(a), (65...90).contains(b) else { return nil }
        return Int(a - 65) * 26 + Int(b - 65)
    }

    /// The county a state and code name (in any year), or why there is none.
    public static func lookup(state: String, code: String) -> Lookup {
        guard let letters = letterIndex(state), case let slot = stateSlots[letters], slot >= 0 else { return .stateNotCovered }
        var n = 0, digits = 0
        for c in code.utf8 {
            guard c >= 48, c <= 57 else { return .notACounty }
            n = n * 10 + Int(c - 48)
            digits += 1
        }
        guard digits == 3, case let i = codeIndex[Int(slot) * 1000 + n], i > 0 else { return .notACounty }
        return .county(flat[Int(i) - 1])
    }

    /// The counties of a state, nil for a code that is not a state or territory with FIPS counties here (Canadian
    /// provinces, APO/FPO, the freely associated states, XX/YY/ZZ/US).
    public static func counties(of state: String) -> [County]? { byState[state] }

    /// The county a code names in a state (in any year), nil when the state has no such code.
    public static func county(state: String, code: String) -> County? {
        if case .county(let county) = lookup(state: state, code: code) { return county }
        return nil
    }

    /// The label a registrar sees beside a county code of a state: its name (with its years when limited), or the
    /// special code's label.
    public static func label(state: String?, code: String) -> String? {
        if let special = specialCodes.first(where: { $0.code == code }) { return special.label }
        guard let state, let county = county(state: state, code: code) else { return nil }
        return county.label
    }
}
