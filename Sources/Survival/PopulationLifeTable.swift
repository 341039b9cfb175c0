import CivilCalendar
import Foundation

/// Sex as population life tables distinguish it (NAACCR sexAssignedAtBirth 1 = male, 2 = female).
public enum LifeTableSex: String, Sendable, CaseIterable {
    case male, female

    /// Reads `male`/`female` (any case), `m`/`f`, or the NAACCR codes `1`/`2`.
    public init?(code: some StringProtocol) {
        switch code.lowercased() {
        case "male", "m", "1": self = .male
        case "female", "f", "2": self = .female
        default: return nil
        }
    }

    var index: Int { self == .male ? 0 : 1 }
}

/// How a yearly life table becomes daily rates: how many days a year of age lasts. Calendar years always start on
/// 1 January.
public enum LifeTableConvention: String, Sendable, CaseIterable {
    /// relsurv's: 365.241 days per year (the registry's default; the relative and net survival fixtures use it).
    case relsurv
    /// R survival's `survexp.us` rate table: ages cut every 365.25 days.
    case survexp

    public var daysPerYear: Double { self == .relsurv ? 365.241 : 365.25 }
    public var description: String {
        self == .relsurv ? "relsurv convention: daily hazard −log(1 − qx)/365.241, ages cut every 365.241 days, years on 1 January"
            : "R survexp.us convention: daily hazard −log(1 − qx)/365.25, ages cut every 365.25 days, years on 1 January"
    }
}

/// A population life table: the probability of dying within a year by calendar year, sex and single year of
/// age, used for expected survival. Rates are kept as daily hazards, −log(1 − qx) / (days per year of the
/// convention), constant within a year of age and a calendar year (as R's rate tables). Years before the first or
/// after the last use the nearest year's rates; ages past the last use the last (open) age.
public struct PopulationLifeTable: Sendable {
    /// The default convention's days per year (relsurv).
    public static let daysPerYear = LifeTableConvention.relsurv.daysPerYear
    public let firstYear: Int
    public let lastYear: Int
    public let maxAge: Int
    public private(set) var convention: LifeTableConvention = .relsurv
    /// Days per year of age in this table's convention.
    public var daysPerYear: Double { convention.daysPerYear }
    /// Daily hazards, [((sex × years) + year) × ages + age].
    private(set) var hazards: [Double]
    /// Day numbers (since 1970-01-01) of 1 January of each year, first to last.
    let yearStarts: [Int]

    public init(firstYear: Int, lastYear: Int, maxAge: Int, qx: (Int, LifeTableSex, Int) -> Double) {
        self.firstYear = firstYear
        self.lastYear = lastYear
        self.maxAge = maxAge
        var hazards: [Double] = []
        hazards.reserveCapacity(2 * (lastYear - firstYear + 1) * (maxAge + 1))
        for sex in LifeTableSex.allCases {
            for year in firstYear...lastYear {
                for age in 0...maxAge { hazards.append(-Foundation.log1p(-qx(year, sex, age)) / Self.daysPerYear) }
            }
        }
        self.hazards = hazards
        yearStarts = (firstYear...lastYear).map { CalendarDate(year: $0, month: 1, day: 1)!.daysSinceEpoch }
    }

    /// The same table under another convention (the yearly probabilities kept, the daily hazards rescaled).
    public func using(_ convention: LifeTableConvention) -> PopulationLifeTable {
        var table = self
        let factor = self.convention.daysPerYear / convention.daysPerYear
        table.hazards = hazards.map { $0 * factor }
        table.convention = convention
        return table
    }

    /// The daily hazard at an age (completed years), sex and calendar year.
    public func dailyHazard(age: Int, sex: LifeTableSex, year: Int) -> Double {
        hazards[index(ageIndex: Swift.min(Swift.max(age, 0), maxAge), sex: sex,
                      yearIndex: Swift.min(Swift.max(year, firstYear), lastYear) - firstYear)]
    }

    @inline(__always) func index(ageIndex: Int, sex: LifeTableSex, yearIndex: Int) -> Int {
        ((sex.index * (lastYear - firstYear + 1)) + yearIndex) * (maxAge + 1) + ageIndex
    }

    /// The probability that a person of this age (in days), sex and date (day number) survives `days` more days
    /// in the general population.
    public func expectedSurvival(ageDays: Double, sex: LifeTableSex, date: Double, days: Double) -> Double {
        var cursor = RateCursor(table: self, ageDays: ageDays, sex: sex, date: date)
        var remaining = days, cumulative = 0.0
        while remaining > 0 {
            let step = Swift.min(remaining, cursor.daysToNextBoundary)
            cumulative += step * cursor.hazard
            cursor.advance(by: step)
            remaining -= step
        }
        return Foundation.exp(-cumulative)
    }
}

/// Where one person is in a life table as time passes: the current cell and when age or calendar year next changes.
struct RateCursor {
    let table: PopulationLifeTable
    let sex: LifeTableSex
    var ageDays: Double
    var date: Double
    private(set) var ageIndex: Int
    private(set) var yearIndex: Int
    private(set) var hazard: Double

    init(table: PopulationLifeTable, ageDays: Double, sex: LifeTableSex, date: Double) {
        self.table = table
        self.sex = sex
        self.ageDays = ageDays
        self.date = date
        ageIndex = 0
        yearIndex = 0
        hazard = 0
        locate()
    }

    /// The cell whose cut points are the last not after the current age and date (R's rate-table look-up).
    private mutating func locate() {
        let year = table.daysPerYear
        var a = Swift.max(0, Swift.min(table.maxAge, Int((ageDays / year).rounded(.down))))
        while a < table.maxAge, ageDays >= Double(a + 1) * year { a += 1 }
        while a > 0, ageDays < Double(a) * year { a -= 1 }
        var y = 0
        while y + 1 < table.yearStarts.count, date >= Double(table.yearStarts[y + 1]) { y += 1 }
        ageIndex = a
        yearIndex = y
        hazard = table.hazards[table.index(ageIndex: a, sex: sex, yearIndex: y)]
    }

    /// Days until the age or the calendar year crosses a cut point (infinite past the last of both).
    var daysToNextBoundary: Double {
        let nextAge = ageIndex < table.maxAge ? Double(ageIndex + 1) * table.daysPerYear - ageDays : .infinity
        let nextYear = yearIndex + 1 < table.yearStarts.count ? Double(table.yearStarts[yearIndex + 1]) - date : .infinity
        return Swift.max(0, Swift.min(nextAge, nextYear))
    }

    /// Moves forward; the cell changes when a cut point is reached.
    mutating func advance(by days: Double) {
        ageDays += days
        date += days
        let ageChanged = ageIndex < table.maxAge && ageDays >= Double(ageIndex + 1) * table.daysPerYear
        let yearChanged = yearIndex + 1 < table.yearStarts.count && date >= Double(table.yearStarts[yearIndex + 1])
        if ageChanged || yearChanged { locate() }
    }
}

/// Problems reading a life table file.
public struct LifeTableError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let message: String
    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
}

extension PopulationLifeTable {
    /// The built-in US table (total population, 1940-2014, ages 0-109; see USLifeTable.generated.swift).
    public static let unitedStates: PopulationLifeTable = {
        var rows: [String: [Double]] = [:]
        var years: [Int] = []
        for line in builtInUSText.split(separator: "\n") {
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: "|")
            let year = Int(parts[0])!
            rows["\(year)|\(parts[1])"] = parts[2].split(separator: " ").map { Double($0)! }
            years.append(year)
        }
        let maxAge = rows.values.first!.count - 1
        return PopulationLifeTable(firstYear: years.min()!, lastYear: years.max()!, maxAge: maxAge) { year, sex, age in
            rows["\(year)|\(sex.rawValue)"]![age]
        }
    }()

    /// Loads a table from CSV with the header `year,sex,age,qx` (sex `male`/`female` or `1`/`2`; qx the probability
    /// of dying within the year, 0 ≤ qx < 1). Every year, sex and age between the smallest and largest must be there.
    public static func load(csv text: String, name: String) throws -> PopulationLifeTable {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated().makeIterator()
        guard let (_, header) = lines.next(),
              header.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) == ["year", "sex", "age", "qx"]
        else { throw LifeTableError(file: name, line: 1, message: "the header must be year,sex,age,qx") }
        var values: [String: Double] = [:]
        var years = Set<Int>(), ages = Set<Int>()
        while let (number, line) = lines.next() {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            func fail(_ message: String) -> LifeTableError { LifeTableError(file: name, line: number + 1, message: message) }
            guard f.count == 4 else { throw fail("expected 4 fields, found \(f.count)") }
            guard let year = Int(f[0]), (1800...2200).contains(year) else { throw fail("year '\(f[0])' is not a year") }
            guard let sex = LifeTableSex(code: f[1]) else { throw fail("sex '\(f[1])' is not male/female or 1/2") }
            guard let age = Int(f[2]), (0...130).contains(age) else { throw fail("age '\(f[2])' is not 0-130") }
            guard let qx = Double(f[3]), qx >= 0, qx < 1 else { throw fail("qx '\(f[3])' is not a probability below 1") }
            guard values.updateValue(qx, forKey: "\(year)|\(sex.rawValue)|\(age)") == nil else {
                throw fail("year \(year), \(sex.rawValue), age \(age) appears twice")
            }
            years.insert(year)
            ages.insert(age)
        }
        guard let firstYear = years.min(), let lastYear = years.max(), let maxAge = ages.max() else {
            throw LifeTableError(file: name, line: nil, message: "no rates")
        }
        for year in firstYear...lastYear {
            for sex in LifeTableSex.allCases {
                for age in 0...maxAge where values["\(year)|\(sex.rawValue)|\(age)"] == nil {
                    throw LifeTableError(file: name, line: nil, message: "no rate for year \(year), \(sex.rawValue), age \(age)")
                }
            }
        }
        return PopulationLifeTable(firstYear: firstYear, lastYear: lastYear, maxAge: maxAge) { year, sex, age in
            values["\(year)|\(sex.rawValue)|\(age)"]!
        }
    }
}
