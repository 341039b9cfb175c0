import Foundation

/// The upper tail of the chi-square distribution, on the log scale so that huge statistics do not underflow.
public enum ChiSquare {
    /// log P(X ≥ x) for X ~ χ²(df).
    public static func logUpperTail(_ x: Double, degreesOfFreedom df: Int) -> Double {
        guard x > 0 else { return 0 }
        return logRegularizedUpperGamma(Double(df) / 2, x / 2)
    }

    /// P(X ≥ x) for X ~ χ²(df) (0 only when the true value is below the smallest double).
    public static func upperTail(_ x: Double, degreesOfFreedom df: Int) -> Double {
        Foundation.exp(logUpperTail(x, degreesOfFreedom: df))
    }

    /// log Q(a, x), Q the regularized upper incomplete gamma function: a series for P when x < a + 1,
    /// else Lentz's continued fraction for Q, both carried on the log scale.
    public static func logRegularizedUpperGamma(_ a: Double, _ x: Double) -> Double {
        let logPrefactor = -x + a * Foundation.log(x) - Foundation.lgamma(a)
        if x < a + 1 {
            var term = 1 / a, sum = term, n = a
            for _ in 0..<10_000 {
                n += 1
                term *= x / n
                sum += term
                if abs(term) < abs(sum) * 1e-17 { break }
            }
            let p = Foundation.exp(logPrefactor) * sum
            return Foundation.log1p(-Swift.min(p, 1))
        }
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return logPrefactor + Foundation.log(h)
    }
}
