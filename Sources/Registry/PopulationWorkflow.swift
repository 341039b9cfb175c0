import Foundation
import Incidence
import Postgres
import RegistryStore

/// A population file that cannot be loaded: the file, the line and what is wrong (population files hold no PHI).
public typealias PopulationFileError = InputFileError

/// Population estimates by year, county, sex, age group (the 19 SEER groups) and race, summed over what the file
/// splits further (Hispanic origin in SEER's files).
public struct PopulationEstimates: Sendable, Equatable {
    public struct Key: Hashable, Sendable, Comparable {
        public var year: Int
        public var county: String
        public var sex: String
        public var ageGroup: Int
        public var race: String
        public init(year: Int, county: String, sex: String, ageGroup: Int, race: String) {
            self.year = year
            self.county = county
            self.sex = sex
            self.ageGroup = ageGroup
            self.race = race
        }
        public static func < (a: Key, b: Key) -> Bool {
            (a.year, a.county, a.sex, a.ageGroup, a.race) < (b.year, b.county, b.sex, b.ageGroup, b.race)
        }
    }
    public var counts: [Key: Int] = [:]
    public var years: Set<Int> { Set(counts.keys.map(\.year)) }

    public init() {}

    /// Adds people to a cell (a file may split a cell further, e.g. by Hispanic origin).
    public mutating func add(year: Int, county: String, sex: String, ageGroup: Int, race: String, population: Int) {
        counts[Key(year: year, county: county, sex: sex, ageGroup: ageGroup, race: race), default: 0] += population
    }

    /// Reads either format:
    /// - CSV with a header naming `year,county,sex,race,population` and `age_group` (0-18, the SEER 19 age groups) or
    ///   `age` (single years, grouped here); sex 1/2 (or male/female); race 1-4 as SEER codes it;
    /// - SEER's fixed-width county population file with 19 age groups (year 1-4, state 5-6, state FIPS 7-8, county
    ///   FIPS 9-11, registry 12-13, race 14, origin 15, sex 16, age group 17-18, population 19-26), kept to `state`
    ///   (postal code) when given.
    public static func read(path: String, state: String? = nil) throws -> PopulationEstimates {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe) } catch {
            throw PopulationFileError(file: path, line: 0, message: "cannot be read (\(error.localizedDescription))")
        }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        guard let first = lines.first else { throw PopulationFileError(file: path, line: 0, message: "the file is empty") }
        var estimates = PopulationEstimates()
        func fail(_ line: Int, _ message: String) -> PopulationFileError { PopulationFileError(file: path, line: line, message: message) }
        if !first.contains(","), first.count >= 26, first.prefix(4).allSatisfy(\.isNumber) {
            for (i, raw) in lines.enumerated() {
                let line = Array(raw.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
                guard line.count >= 26 else { throw fail(i + 1, "a SEER population record has 26 characters, this has \(line.count)") }
                func field(_ from: Int, _ to: Int) -> String { String(decoding: line[(from - 1)..<to], as: UTF8.self) }
                if let state, field(5, 6) != state { continue }
                guard let year = Int(field(1, 4)), (1900...2100).contains(year) else { throw fail(i + 1, "year (columns 1-4) is not a year") }
                let county = field(9, 11), race = field(14, 14), sex = field(16, 16)
                guard county.allSatisfy(\.isNumber) else { throw fail(i + 1, "county FIPS (columns 9-11) is not 3 digits") }
                guard ["1", "2", "3", "4"].contains(race) else { throw fail(i + 1, "race (column 14) must be 1-4") }
                guard sex == "1" || sex == "2" else { throw fail(i + 1, "sex (column 16) must be 1 or 2") }
                guard let age = Int(field(17, 18)), (0...18).contains(age) else {
                    throw fail(i + 1, "age group (columns 17-18) must be 00-18: load SEER's 19-age-group file")
                }
                guard let count = Int(field(19, 26).trimmingCharacters(in: .whitespaces)), count >= 0 else {
                    throw fail(i + 1, "population (columns 19-26) is not a whole number")
                }
                estimates.add(year: year, county: county, sex: sex, ageGroup: age, race: race, population: count)
            }
            if estimates.counts.isEmpty, let state { throw fail(0, "no record of state \(state)") }
            return estimates
        }
        let header = first.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        guard let yearColumn = column("year"), let countyColumn = column("county"), let sexColumn = column("sex"),
              let raceColumn = column("race"), let populationColumn = column("population"),
              column("age_group") != nil || column("age") != nil else {
            throw fail(1, "the header must name year,county,sex,race,population and age_group (0-18) or age; it has \(first.prefix(200))")
        }
        let ageGroupColumn = column("age_group"), ageColumn = column("age")
        for (i, raw) in lines.enumerated().dropFirst() where !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            let f = raw.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count == header.count else { throw fail(i + 1, "expected \(header.count) fields, found \(f.count)") }
            guard let year = Int(f[yearColumn]), (1900...2100).contains(year) else { throw fail(i + 1, "year '\(f[yearColumn].prefix(10))' is not a year") }
            var county = f[countyColumn]
            if county.count < 3, county.allSatisfy(\.isNumber) { county = String(repeating: "0", count: 3 - county.count) + county }
            guard county.count == 3, county.allSatisfy(\.isNumber) else { throw fail(i + 1, "county '\(county.prefix(10))' is not a 3-digit FIPS code") }
            let sex: String
            switch f[sexColumn].lowercased() {
            case "1", "male", "m": sex = "1"
            case "2", "female", "f": sex = "2"
            default: throw fail(i + 1, "sex '\(f[sexColumn].prefix(10))' must be 1 (male) or 2 (female)")
            }
            guard ["1", "2", "3", "4"].contains(f[raceColumn]) else {
                throw fail(i + 1, "race '\(f[raceColumn].prefix(10))' must be 1 (white), 2 (black), 3 (AIAN) or 4 (Asian/Pacific Islander)")
            }
            let ageGroup: Int
            if let c = ageGroupColumn {
                guard let g = Int(f[c]), (0...18).contains(g) else { throw fail(i + 1, "age_group '\(f[c].prefix(10))' must be 0-18") }
                ageGroup = g
            } else {
                guard let a = Int(f[ageColumn!]), let g = StandardPopulation.ageGroup(ofAge: a) else {
                    throw fail(i + 1, "age '\(f[ageColumn!].prefix(10))' must be 0-130")
                }
                ageGroup = g
            }
            guard let count = Int(f[populationColumn]), count >= 0 else {
                throw fail(i + 1, "population '\(f[populationColumn].prefix(15))' is not a whole number")
            }
            estimates.add(year: year, county: county, sex: sex, ageGroup: ageGroup, race: f[raceColumn], population: count)
        }
        guard !estimates.counts.isEmpty else { throw fail(0, "the file holds no population") }
        return estimates
    }
}

/// What a population load did.
public struct PopulationLoadSummary: Sendable, Equatable {
    public var years: [Int]
    public var rows: Int
    public var people: Int
    /// Rows of those years that the load replaced.
    public var replaced: Int
}

extension Registry {
    /// Replaces the population of the years `estimates` covers, in one transaction with its audit row; a failure
    /// changes nothing.
    public func loadPopulation(_ estimates: PopulationEstimates, source: String, by actor: ActingUser) async throws -> PopulationLoadSummary {
        let years = estimates.years.sorted()
        return try await pool.withConnection { db in
            try db.transaction { tx in
                let replaced = try tx.query("WITH gone AS (DELETE FROM population WHERE year = ANY($1::smallint[]) RETURNING 1) SELECT count(*)::int FROM gone",
                                            ["{" + years.map(String.init).joined(separator: ",") + "}"])[0].decode(Int.self, at: 0)
                let rows = try tx.copyIn("COPY population (year, county, sex, age_group, race, population) FROM STDIN") { writer in
                    for (key, count) in estimates.counts.sorted(by: { $0.key < $1.key }) {
                        try writer.appendRow([String(key.year), key.county, key.sex, String(key.ageGroup), key.race, String(count)])
                    }
                }
                try AuditTrail.record(tx, actor, .import, entity: "population", detail: [
                    "source": String(source.suffix(200)), "years": years.map(String.init).joined(separator: ","), "rows": String(rows),
                    "replaced": String(replaced)])
                return PopulationLoadSummary(years: years, rows: rows, people: estimates.counts.values.reduce(0, +), replaced: replaced)
            }
        }
    }
}
