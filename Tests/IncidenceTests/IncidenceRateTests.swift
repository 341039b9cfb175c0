import Foundation
@testable import Incidence
import TestSupport
import Testing

/// Rates, intervals and trends against an independent computation: SciPy's gamma, t and least-squares routines on the
/// same counts (the formulas written out in the script, Tiwari et al. 2006 and the SEER APC definition).
@Suite("Incidence rates: Tiwari gamma intervals and APC against SciPy")
struct IncidenceRateTests {
    static let tiwariScript = """
        import json, sys
        from scipy.stats import gamma
        out = []
        for case in json.load(sys.stdin):
            std = case["std"]; w = [s / sum(std) for s in std]
            x, n = case["cases"], case["population"]
            strata = [(w[j] / n[j], x[j]) for j in range(len(x)) if n[j] > 0]
            R = sum(wj * xj for wj, xj in strata)
            v = sum(wj * wj * xj for wj, xj in strata)
            wbar = sum(wj for wj, _ in strata) / len(strata)
            w2bar = sum(wj * wj for wj, _ in strata) / len(strata)
            lower = gamma.ppf(0.025, R * R / v, scale=v / R) if R > 0 else 0.0
            upper = gamma.ppf(0.975, (R + wbar) ** 2 / (v + w2bar), scale=(v + w2bar) / (R + wbar))
            X, N = sum(x), sum(n)
            clow = gamma.ppf(0.025, X, scale=1 / N) if X > 0 else 0.0
            cup = gamma.ppf(0.975, X + 1, scale=1 / N)
            out.append([R * 1e5, lower * 1e5, upper * 1e5, X / N * 1e5, clow * 1e5, cup * 1e5])
        print(json.dumps(out))
        """

    /// Deterministic test populations: common, rare and empty age groups.
    static func cases() -> [(cases: [Int], population: [Double])] {
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var out: [(cases: [Int], population: [Double])] = []
        for scenario in 0..<12 {
            let scale = [1, 10, 100, 1000][scenario % 4]
            let population = (0..<19).map { j in Double(2_000 * scale + next(60_000 * scale) + j * 500) }
            let cases = (0..<19).map { j in j < 4 && scenario % 3 == 0 ? 0 : next(max(1, j * j * scale / 4 + 1)) }
            out.append((cases, population))
        }
        out.append(([Int](repeating: 0, count: 19), [Double](repeating: 50_000, count: 19)))  // no cases at all
        var sparse = [Int](repeating: 0, count: 19); sparse[18] = 3
        out.append((sparse, (0..<19).map { Double(1_000 + $0 * 100) }))                      // three cases, oldest group
        return out
    }

    @Test func ageAdjustedAndCrudeRatesMatchSciPy() throws {
        let inputs = Self.cases()
        let expected = try #require(try Python.json(Self.tiwariScript, input: inputs.map {
            ["cases": $0.cases, "population": $0.population, "std": StandardPopulation.us2000.perMillion] as [String: Any]
        }) as? [[Double]])
        for (input, want) in zip(inputs, expected) {
            let adjusted = try #require(IncidenceRates.ageAdjusted(cases: input.cases, population: input.population))
            let crude = try #require(IncidenceRates.crude(cases: input.cases.reduce(0, +), population: input.population.reduce(0, +)))
            let got = [adjusted.rate, adjusted.lower, adjusted.upper, crude.rate, crude.lower, crude.upper]
            for (g, w) in zip(got, want) {
                #expect(abs(g - w) <= 1e-9 * max(1, abs(w)), "\(got) vs SciPy \(want)")
            }
        }
    }

    @Test func annualPercentChangeMatchesSciPyLinearRegression() throws {
        let series: [[Double]] = [
            [452.1, 447.3, 455.0, 441.9, 438.2, 430.7, 433.1, 425.6, 420.0, 418.3],
            [12.0, 14.5, 13.1, 16.9, 18.2],
            [100, 100, 100.5],
        ]
        let script = """
            import json, sys, math
            from scipy.stats import linregress, t
            out = []
            for rates in json.load(sys.stdin):
                years = list(range(2010, 2010 + len(rates)))
                fit = linregress(years, [math.log(r) for r in rates])
                q = t.ppf(0.975, len(rates) - 2)
                out.append([100 * math.expm1(fit.slope), 100 * math.expm1(fit.slope - q * fit.stderr),
                            100 * math.expm1(fit.slope + q * fit.stderr), fit.pvalue])
            print(json.dumps(out))
            """
        let expected = try #require(try Python.json(script, input: series) as? [[Double]])
        for (rates, want) in zip(series, expected) {
            let fit = try #require(AnnualPercentChange(years: Array(2010..<(2010 + rates.count)), rates: rates))
            let got = [fit.apc, fit.lower, fit.upper, fit.pValue]
            for (g, w) in zip(got, want) { #expect(abs(g - w) <= 1e-8 * max(1, abs(w)), "\(got) vs SciPy \(want)") }
        }
        #expect(AnnualPercentChange(years: [2010, 2011], rates: [1, 2]) == nil)
        #expect(AnnualPercentChange(years: [2010, 2011, 2012], rates: [1, 0, 2]) == nil)
    }

    @Test func theStandardPopulationIsTheReferenceFile() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/reference/stdpop/us2000_std_19ages.csv")
        let rows = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        #expect(rows.map { Int($0[2])! } == StandardPopulation.us2000.perMillion)
        #expect(StandardPopulation.us2000.perMillion.reduce(0, +) == 1_000_000)
        #expect(abs(StandardPopulation.us2000.weights.reduce(0, +) - 1) < 1e-12)
    }

    @Test func agesFallInTheSEERNineteenGroups() {
        #expect([0, 1, 4, 5, 9, 10, 84, 85, 99, 130].map { StandardPopulation.ageGroup(ofAge: $0) } == [0, 1, 1, 2, 2, 3, 17, 18, 18, 18])
        #expect(StandardPopulation.ageGroup(ofAge: -1) == nil && StandardPopulation.ageGroup(ofAge: 999) == nil)
    }

    @Test func casesWithoutPopulationLeaveTheRateUndefined() {
        var cases = [Int](repeating: 1, count: 19), population = [Double](repeating: 1_000, count: 19)
        population[3] = 0
        #expect(IncidenceRates.ageAdjusted(cases: cases, population: population) == nil)
        cases[3] = 0
        #expect(IncidenceRates.ageAdjusted(cases: cases, population: population) != nil)
    }
}
