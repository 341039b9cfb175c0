// Survival throughput: Kaplan-Meier + log-rank over 1,000,000 cases in 5 groups, Pohar-Perme over 100,000.
// Usage: SurvivalBench [CASES_CSV_FOR_R]   (writes the KM cases there so scripts/bench-survival can time R on them)
import CivilCalendar
import Foundation
import Registry
import Survival

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// SplitMix64, so every run measures the same data.
struct Random {
    var state: UInt64
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}

var random = Random(state: 2026)
let groupNames = ["G1", "G2", "G3", "G4", "G5"]
let rates = [0.005, 0.01, 0.02, 0.04, 0.08]
var cases: [SurvivalCase] = [], groups: [String] = []
cases.reserveCapacity(1_000_000)
for i in 0..<1_000_000 {
    let g = i % 5
    let death = -log(1 - random.next()) / rates[g], censor = random.next() * 180
    cases.append(SurvivalCase(time: Double(Int(min(death, censor))), event: death <= censor))
    groups.append(groupNames[g])
}
if CommandLine.arguments.count > 1 {
    var text = "time_months,event,group\n"
    text.reserveCapacity(20_000_000)
    for (c, g) in zip(cases, groups) { text += "\(Int(c.time)),\(c.event ? 1 : 0),\(g)\n" }
    try text.write(toFile: CommandLine.arguments[1], atomically: true, encoding: .utf8)
}

var best = Double.infinity
var chiSquare = 0.0
for _ in 0..<3 {
    best = min(best, try seconds {
        var byGroup: [String: [SurvivalCase]] = [:]
        for (c, g) in zip(cases, groups) { byGroup[g, default: []].append(c) }
        for name in groupNames { _ = try KaplanMeierCurve(byGroup[name]!) }
        chiSquare = try LogRankTest(cases, groups: groups).chiSquare
    })
}
print(String(format: "kaplan-meier+log-rank: 1000000 cases in 5 groups in %.3f s = %.0f cases/s (chi-square %.1f)",
             best, 1e6 / best, chiSquare))

// Pohar-Perme: 100,000 cases diagnosed 2000-2009, ages 40-89, up to 10 years of follow-up, built-in US table.
var netCases: [RelativeSurvivalCase] = []
let daysPerYear = PopulationLifeTable.daysPerYear
let start2000 = Double(CalendarDate(year: 2000, month: 1, day: 1)!.daysSinceEpoch)
for _ in 0..<100_000 {
    let age = 40 + random.next() * 50
    let death = -log(1 - random.next()) / (0.0003 + 0.00002 * exp(0.09 * (age - 40)))
    let censor = 30 + random.next() * 10 * daysPerYear
    netCases.append(RelativeSurvivalCase(days: Double(Int(min(death, censor))), event: death <= censor, ageDays: age * daysPerYear,
                                         sex: random.next() < 0.5 ? .male : .female, diagnosisDay: start2000 + Double(Int(random.next() * 3650))))
}
var netSurvival = 0.0
let netTime = try seconds {
    netSurvival = try PoharPermeEstimate(netCases, table: .unitedStates).survival(at: 5 * daysPerYear).survival
}
print(String(format: "pohar-perme: 100000 cases in %.2f s = %.0f cases/s (5-year net survival %.3f)", netTime, 1e5 / netTime, netSurvival))

// Reading a case listing alone (the `registry survival --input` parser), best of three.
if CommandLine.arguments.count > 1 {
    var rows = 0
    var parse = Double.infinity
    for _ in 0..<3 {
        parse = min(parse, try seconds { rows = try SurvivalInput.readCSV(path: CommandLine.arguments[1]).count })
    }
    print(String(format: "case listing parse: %d rows in %.3f s = %.1f million rows/s", rows, parse, Double(rows) / parse / 1e6))
}
