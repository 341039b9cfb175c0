/// The log-rank test comparing survival between groups, optionally stratified, computed as R's `survdiff`
/// (rho = 0): observed and expected events per group and the hypergeometric variance, summed over strata.
public struct LogRankTest: Sendable {
    public struct Group: Sendable, Equatable {
        public var name: String
        public var cases: Int
        public var observed: Int
        public var expected: Double
    }

    public let groups: [Group]
    public let chiSquare: Double
    public let degreesOfFreedom: Int
    /// log of the p-value (finite even when the p-value underflows).
    public let logPValue: Double
    public var pValue: Double { ChiSquare.upperTail(chiSquare, degreesOfFreedom: degreesOfFreedom) }

    /// Compares the groups of `cases` (group name per case; `strata` optional, one name per case).
    public init(_ cases: [SurvivalCase], groups groupOf: [String], strata stratumOf: [String]? = nil) throws {
        precondition(groupOf.count == cases.count && (stratumOf?.count ?? cases.count) == cases.count)
        try validate(cases)
        let cases = mergingNearlyEqualTimes(cases)
        let names = Array(Set(groupOf)).sorted()
        guard names.count >= 2 else { throw SurvivalError.tooFewGroups(names.count) }
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let k = names.count
        var observed = [Int](repeating: 0, count: k), counts = [Int](repeating: 0, count: k)
        var expected = [Double](repeating: 0, count: k)
        var variance = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)

        // Cases sorted by stratum, then time: each stratum is swept once in time order.
        let groupIndex = groupOf.map { index[$0]! }
        let stratumNames = Array(Set(stratumOf ?? [])).sorted()
        let stratumIndex = Dictionary(uniqueKeysWithValues: stratumNames.enumerated().map { ($1, $0) })
        let strata = stratumOf?.map { stratumIndex[$0]! } ?? [Int](repeating: 0, count: cases.count)
        let order = cases.indices.sorted { strata[$0] != strata[$1] ? strata[$0] < strata[$1] : cases[$0].time < cases[$1].time }
        var start = 0
        while start < order.count {
            var end = start
            while end < order.count, strata[order[end]] == strata[order[start]] { end += 1 }
            var atRisk = [Int](repeating: 0, count: k)
            for i in order[start..<end] { atRisk[groupIndex[i]] += 1 }
            var total = end - start
            var i = start
            while i < end {
                let time = cases[order[i]].time
                var deaths = [Int](repeating: 0, count: k), leaving = [Int](repeating: 0, count: k)
                var d = 0
                while i < end, cases[order[i]].time == time {
                    let g = groupIndex[order[i]]
                    leaving[g] += 1
                    if cases[order[i]].event { deaths[g] += 1; d += 1 }
                    i += 1
                }
                if d > 0 {
                    let n = Double(total), dd = Double(d)
                    for g in 0..<k {
                        observed[g] += deaths[g]
                        expected[g] += dd * Double(atRisk[g]) / n
                    }
                    if total > 1 {
                        let factor = dd * (n - dd) / (n - 1)
                        for g in 0..<k {
                            let pg = Double(atRisk[g]) / n
                            for h in 0..<k { variance[g][h] += factor * pg * ((g == h ? 1 : 0) - Double(atRisk[h]) / n) }
                        }
                    }
                }
                for g in 0..<k { atRisk[g] -= leaving[g]; total -= leaving[g] }
            }
            start = end
        }
        for g in groupIndex { counts[g] += 1 }

        groups = names.indices.map { Group(name: names[$0], cases: counts[$0], observed: observed[$0], expected: expected[$0]) }
        // As survdiff: groups with expected events, the first of them dropped (the variance matrix is singular).
        let used = (0..<k).filter { expected[$0] > 0 }
        degreesOfFreedom = used.count - 1
        if used.count < 2 {
            chiSquare = 0
        } else {
            let kept = Array(used.dropFirst())
            let difference = kept.map { Double(observed[$0]) - expected[$0] }
            let matrix = kept.map { g in kept.map { h in variance[g][h] } }
            let solved = solveLinearSystem(matrix, difference)
            chiSquare = zip(solved, difference).reduce(0) { $0 + $1.0 * $1.1 }
        }
        logPValue = ChiSquare.logUpperTail(chiSquare, degreesOfFreedom: Swift.max(degreesOfFreedom, 1))
    }
}

/// Solves A x = b by Gaussian elimination with partial pivoting (A small, symmetric positive definite here).
func solveLinearSystem(_ a: [[Double]], _ b: [Double]) -> [Double] {
    var m = a, v = b
    let n = v.count
    for col in 0..<n {
        let pivot = (col..<n).max { abs(m[$0][col]) < abs(m[$1][col]) }!
        if pivot != col { m.swapAt(pivot, col); v.swapAt(pivot, col) }
        let p = m[col][col]
        guard p != 0 else { continue }
        for row in (col + 1)..<n where m[row][col] != 0 {
            let f = m[row][col] / p
            for c in col..<n { m[row][c] -= f * m[col][c] }
            v[row] -= f * v[col]
        }
    }
    var x = [Double](repeating: 0, count: n)
    for row in stride(from: n - 1, through: 0, by: -1) {
        var s = v[row]
        for c in (row + 1)..<n { s -= m[row][c] * x[c] }
        x[row] = m[row][row] == 0 ? 0 : s / m[row][row]
    }
    return x
}
