import Foundation

/// Cumulative relative survival by the Ederer II method on a life table, as SEER*Stat and Dickman's `strs`
/// compute it: in each interval the observed (actuarial) interval survival is divided by the expected interval
/// survival of the cases alive at its start, each followed in the population table from their own age and date
/// at that point; the products give cumulative observed, expected and relative survival. The standard error of
/// the relative survival is the observed one (Greenwood) divided by the cumulative expected.
public struct EdererIIEstimate: Sendable {
    public struct Interval: Sendable, Equatable {
        /// Interval bounds in days since diagnosis.
        public var start: Double
        public var end: Double
        public var entering: Int
        public var deaths: Int
        public var withdrawn: Int
        public var observedInterval: Double
        public var expectedInterval: Double
        public var relativeInterval: Double { observedInterval / expectedInterval }
        public var observed: Double
        public var expected: Double
        public var relative: Double
        public var relativeStdErr: Double
    }

    public let intervals: [Interval]

    /// `width` is the interval length in days (e.g. 365.241 for yearly intervals); at most `count` intervals.
    public init(_ cases: [RelativeSurvivalCase], table: PopulationLifeTable, width: Double, count: Int) throws {
        try validate(cases.map { SurvivalCase(time: $0.days, event: $0.event) })
        var intervals: [Interval] = []
        var observed = 1.0, expected = 1.0, greenwood = 0.0
        var alive = cases
        for k in 0..<count {
            guard !alive.isEmpty else { break }
            let start = Double(k) * width, end = Double(k + 1) * width
            var deaths = 0, withdrawn = 0, expectedSum = 0.0
            var stillAlive: [RelativeSurvivalCase] = []
            stillAlive.reserveCapacity(alive.count)
            for c in alive {
                expectedSum += table.expectedSurvival(ageDays: c.ageDays + start, sex: c.sex, date: c.diagnosisDay + start, days: width)
                if c.days < end {
                    if c.event { deaths += 1 } else { withdrawn += 1 }
                } else {
                    stillAlive.append(c)
                }
            }
            let effective = Double(alive.count) - Double(withdrawn) / 2
            let q = effective > 0 ? Double(deaths) / effective : 0
            let expectedInterval = expectedSum / Double(alive.count)
            observed *= 1 - q
            expected *= expectedInterval
            if deaths > 0 {
                greenwood += effective > Double(deaths) ? Double(deaths) / (effective * (effective - Double(deaths))) : .infinity
            }
            intervals.append(Interval(start: start, end: end, entering: alive.count, deaths: deaths, withdrawn: withdrawn,
                                      observedInterval: 1 - q, expectedInterval: expectedInterval, observed: observed,
                                      expected: expected, relative: observed / expected,
                                      relativeStdErr: observed * greenwood.squareRoot() / expected))
            alive = stillAlive
        }
        self.intervals = intervals
    }
}

/// Age-standardised survival with the International Cancer Survival Standard (ICSS) weights for the age groups
/// 15-44, 45-54, 55-64, 65-74 and 75+ at diagnosis (Corazziari, Quinn and Capocaccia, 2004).
public enum AgeStandard: String, Sendable, CaseIterable {
    /// For cancers whose incidence rises with age (most sites).
    case icss1
    /// For cancers with a broadly constant incidence by age (e.g. melanoma, cervix).
    case icss2
    /// For cancers mainly of young adults (e.g. testis, Hodgkin lymphoma).
    case icss3

    public var weights: [Double] {
        switch self {
        case .icss1: return [0.07, 0.12, 0.23, 0.29, 0.29]
        case .icss2: return [0.28, 0.17, 0.21, 0.20, 0.14]
        case .icss3: return [0.60, 0.10, 0.10, 0.10, 0.10]
        }
    }

    /// The ICSS age group (0-4) of an age at diagnosis in years; nil under 15.
    public static func group(ofAge age: Int) -> Int? {
        switch age {
        case ..<15: return nil
        case 15..<45: return 0
        case 45..<55: return 1
        case 55..<65: return 2
        case 65..<75: return 3
        default: return 4
        }
    }

    public static let groupLabels = ["15-44", "45-54", "55-64", "65-74", "75+"]

    /// Σ wᵢ Sᵢ with standard error √Σ wᵢ² SEᵢ²; nil when a group has no estimate.
    public func standardize(_ estimates: [(survival: Double, stdErr: Double)?]) -> (survival: Double, stdErr: Double)? {
        precondition(estimates.count == 5, "one estimate per ICSS age group")
        var survival = 0.0, variance = 0.0
        for (weight, estimate) in zip(weights, estimates) {
            guard let estimate else { return nil }
            survival += weight * estimate.survival
            variance += weight * weight * estimate.stdErr * estimate.stdErr
        }
        return (survival, variance.squareRoot())
    }
}
