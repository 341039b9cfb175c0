import Foundation
import Survival

/// Quantiles of the gamma and Student t distributions, for rate confidence intervals and trend tests.
public enum Distributions {
    /// P(a, x): the regularized lower incomplete gamma function (the gamma(shape a, scale 1) CDF at x).
    public static func regularizedLowerGamma(_ a: Double, _ x: Double) -> Double {
        guard x > 0 else { return 0 }
        return -Foundation.expm1(ChiSquare.logRegularizedUpperGamma(a, x))
    }

    /// The p-quantile of the gamma distribution with this shape and scale (as R's `qgamma(p, shape, scale =)`):
    /// bracketed Newton iteration on P(a, x / scale) = p, to a relative precision of 1e-14.
    public static func gammaQuantile(_ p: Double, shape a: Double, scale: Double) -> Double {
        precondition(p > 0 && p < 1 && a > 0 && scale > 0, "gammaQuantile needs 0 < p < 1, shape > 0, scale > 0")
        // Wilson-Hilferty start, then keep a bracket [low, high] with P(low) < p < P(high).
        let z = normalQuantile(p)
        var x = max(1e-300, a * pow(1 - 1 / (9 * a) + z / (3 * a.squareRoot()), 3))
        if !x.isFinite || x <= 0 { x = a }
        var low = 0.0, high = Double.infinity
        let logGammaA: Double = Foundation.lgamma(a)
        for _ in 0..<200 {
            let f = regularizedLowerGamma(a, x) - p
            if f < 0 { low = x } else { high = x }
            let density = Foundation.exp((a - 1) * Foundation.log(x) - x - logGammaA)
            var next = density > 0 ? x - f / density : .nan
            if !next.isFinite || next <= low || next >= high {
                next = high.isFinite ? (low + high) / 2 : max(2 * x, x + 1)
            }
            if abs(next - x) <= 1e-15 * max(x, 1e-300) { x = next; break }
            x = next
        }
        return x * scale
    }

    /// I_x(a, b): the regularized incomplete beta function (continued fraction, Lentz).
    public static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = Foundation.lgamma(a + b) - Foundation.lgamma(a) - Foundation.lgamma(b) + a * Foundation.log(x) + b * Foundation.log1p(-x)
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedBeta(1 - x, b, a) }
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1..<10_000 {
            let m = Double(m)
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d; h *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return Foundation.exp(logFront) * h / a
    }

    /// The CDF of Student's t distribution with `df` degrees of freedom.
    public static func studentT(_ t: Double, degreesOfFreedom df: Double) -> Double {
        let tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The p-quantile of Student's t distribution (bisection to 1e-13 on the CDF).
    public static func studentTQuantile(_ p: Double, degreesOfFreedom df: Double) -> Double {
        precondition(p > 0 && p < 1 && df > 0, "studentTQuantile needs 0 < p < 1 and df > 0")
        if p == 0.5 { return 0 }
        if p < 0.5 { return -studentTQuantile(1 - p, degreesOfFreedom: df) }
        var low = 0.0, high = 1.0
        while studentT(high, degreesOfFreedom: df) < p { high *= 2 }
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if studentT(mid, degreesOfFreedom: df) < p { low = mid } else { high = mid }
            if high - low < 1e-13 * max(1, high) { break }
        }
        return (low + high) / 2
    }
}
