import Foundation

/// A standard population by age group: the weights of direct age adjustment.
public struct StandardPopulation: Sendable {
    public let name: String
    public let labels: [String]
    public let perMillion: [Int]

    public init(name: String, labels: [String], perMillion: [Int]) {
        self.name = name
        self.labels = labels
        self.perMillion = perMillion
    }

    /// The weight of each age group (its share of the standard).
    public var weights: [Double] {
        let total = Double(perMillion.reduce(0, +))
        return perMillion.map { Double($0) / total }
    }

    /// The SEER 19 age groups (0, 1-4, 5-9, ..., 80-84, 85+) of an age in years.
    public static func ageGroup(ofAge age: Int) -> Int? {
        guard age >= 0, age <= 130 else { return nil }
        return age == 0 ? 0 : age < 5 ? 1 : min(18, age / 5 + 1)
    }
}

/// A rate per 100,000 with its confidence interval.
public struct RateEstimate: Sendable, Equatable {
    public var cases: Int
    /// Population (person-years) the rate is per.
    public var population: Double
    public var rate: Double
    public var lower: Double
    public var upper: Double
}

/// Incidence rates as SEER*Stat computes them: crude and directly age-adjusted rates per 100,000 with gamma
/// confidence intervals (Tiwari, Clegg and Zou 2006, the "Tiwari modification" SEER*Stat and USCS use).
public enum IncidenceRates {
    public static let per = 100_000.0

    /// Cases / population × 100,000; the interval is the exact Poisson (Garwood) interval, which the Tiwari gamma
    /// interval reduces to with one stratum: lower G⁻¹(α/2; x, 1/N), upper G⁻¹(1−α/2; x+1, 1/N).
    public static func crude(cases: Int, population: Double, level: Double = 0.95) -> RateEstimate? {
        guard population > 0 else { return nil }
        let alpha = 1 - level
        let lower = cases == 0 ? 0 : Distributions.gammaQuantile(alpha / 2, shape: Double(cases), scale: 1 / population)
        let upper = Distributions.gammaQuantile(1 - alpha / 2, shape: Double(cases + 1), scale: 1 / population)
        return RateEstimate(cases: cases, population: population, rate: Double(cases) / population * per, lower: lower * per, upper: upper * per)
    }

    /// The directly age-adjusted rate R = Σ wⱼ xⱼ / nⱼ × 100,000 (wⱼ the standard's share of age group j, xⱼ cases,
    /// nⱼ population), with the Tiwari et al. (2006) interval on the per-person scale, w̃ⱼ = wⱼ / nⱼ:
    ///   v = Σ w̃ⱼ² xⱼ;  lower = G⁻¹(α/2; R²/v, v/R) (0 when R = 0);
    ///   upper = G⁻¹(1−α/2; (R+w̄)²/(v+w̄₂), (v+w̄₂)/(R+w̄)) with w̄ = mean w̃ⱼ and w̄₂ = mean w̃ⱼ².
    /// Age groups without population are left out; cases in such a group make the rate undefined (nil).
    public static func ageAdjusted(cases: [Int], population: [Double], standard: StandardPopulation = .us2000,
                                   level: Double = 0.95) -> RateEstimate? {
        precondition(cases.count == standard.perMillion.count && population.count == cases.count, "one count and population per age group")
        let weights = standard.weights
        var rate = 0.0, variance = 0.0, sumW = 0.0, sumW2 = 0.0, groups = 0
        for j in cases.indices {
            guard population[j] > 0 else {
                if cases[j] > 0 { return nil }
                continue
            }
            let w = weights[j] / population[j]
            rate += w * Double(cases[j])
            variance += w * w * Double(cases[j])
            sumW += w
            sumW2 += w * w
            groups += 1
        }
        guard groups > 0 else { return nil }
        let alpha = 1 - level
        let lower = rate > 0 ? Distributions.gammaQuantile(alpha / 2, shape: rate * rate / variance, scale: variance / rate) : 0
        let meanW = sumW / Double(groups), meanW2 = sumW2 / Double(groups)
        let yStar = rate + meanW, vStar = variance + meanW2
        let upper = Distributions.gammaQuantile(1 - alpha / 2, shape: yStar * yStar / vStar, scale: vStar / yStar)
        return RateEstimate(cases: cases.reduce(0, +), population: population.reduce(0, +), rate: rate * per, lower: lower * per, upper: upper * per)
    }
}

/// The annual percent change of a series of rates: least squares fit of ln(rate) = b₀ + b₁·year, APC = 100(e^b₁ − 1),
/// its confidence interval 100(e^(b₁ ± t·SE(b₁)) − 1) with Student's t on n − 2 degrees of freedom, and the
/// two-sided p-value of b₁ = 0 (the SEER Cancer Statistics Review's definition).
public struct AnnualPercentChange: Sendable, Equatable {
    public var apc: Double
    public var lower: Double
    public var upper: Double
    public var pValue: Double
    public var years: ClosedRange<Int>

    /// nil with fewer than three years or any rate that is zero or missing (its logarithm is undefined).
    public init?(years: [Int], rates: [Double], level: Double = 0.95) {
        guard years.count == rates.count, years.count >= 3, rates.allSatisfy({ $0 > 0 && $0.isFinite }),
              let first = years.min(), let last = years.max() else { return nil }
        let n = Double(years.count)
        let x = years.map(Double.init), y = rates.map { Foundation.log($0) }
        let meanX = x.reduce(0, +) / n, meanY = y.reduce(0, +) / n
        let sxx = x.reduce(0) { $0 + ($1 - meanX) * ($1 - meanX) }
        guard sxx > 0 else { return nil }
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
        let slope = sxy / sxx, intercept = meanY - slope * meanX
        let residual = zip(x, y).reduce(0) { $0 + pow($1.1 - intercept - slope * $1.0, 2) }
        let df = n - 2
        let se = (residual / df / sxx).squareRoot()
        let t = Distributions.studentTQuantile(1 - (1 - level) / 2, degreesOfFreedom: df)
        apc = 100 * Foundation.expm1(slope)
        lower = 100 * Foundation.expm1(slope - t * se)
        upper = 100 * Foundation.expm1(slope + t * se)
        pValue = se > 0 ? 2 * (1 - Distributions.studentT(abs(slope / se), degreesOfFreedom: df)) : 0
        self.years = first...last
    }
}
