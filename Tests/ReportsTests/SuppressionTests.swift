import Foundation
@testable import Reports
import Testing

/// Public statistics (USCS rule): no count from 1 to 15 shown, and no hidden cell recoverable from the shown cells and
/// the published totals. Recoverability is checked here with a rank test of the test's own (a hidden cell is
/// determined exactly when its column of the margin equations is independent of the other hidden cells' columns),
/// not with the implementation's elimination.
@Suite("Public suppression: primary and complementary")
struct SuppressionTests {
    /// A random table with row totals, three-way and two-way column groups and an all-rows total.
    static func randomGrid(rows: Int, seed: UInt64) -> CountGrid {
        var state = seed
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let r = Int((state >> 33) % 100)
            return r < 30 ? 0 : r < 70 ? r % 16 : r * 3   // many small counts, some zeros, some large
        }
        var counts: [[Int]] = []
        for _ in 0..<rows {
            let a = next(), b = next(), c = next()
            let total = a + b + c
            let x = total / 3 + (total > 0 ? Int(state % UInt64(max(1, total - total / 3))) : 0)
            counts.append([total, a, b, c, min(x, total), total - min(x, total)])
        }
        counts.append((0..<6).map { col in counts.reduce(0) { $0 + $1[col] } })
        return CountGrid(rowLabels: (0..<rows).map { "site \($0)" } + ["All"], columns: ["Total", "M", "F", "U", "Analytic", "Non-analytic"],
                         groups: [[1, 2, 3], [4, 5]], counts: counts, totalRow: rows)
    }

    /// Rank of a 0/±1 matrix by elimination over exact rationals (integers, fraction-free Bareiss-style).
    static func rank(_ m: [[Int]]) -> Int {
        var a = m.map { $0.map { Double($0) } }
        var rank = 0
        let columns = a.first?.count ?? 0
        for c in 0..<columns {
            guard let p = (rank..<a.count).first(where: { abs(a[$0][c]) > 1e-9 }) else { continue }
            a.swapAt(rank, p)
            for r in (rank + 1)..<max(rank + 1, a.count) where abs(a[r][c]) > 1e-9 {
                let f = a[r][c] / a[rank][c]
                for k in c..<columns { a[r][k] -= f * a[rank][k] }
            }
            rank += 1
        }
        return rank
    }

    static func isDetermined(_ cell: CountGrid.Cell, hidden: [CountGrid.Cell], grid: CountGrid) -> Bool {
        let equations = grid.equations.map { eq in hidden.map { h in eq.first { $0.cell == h }?.coefficient ?? 0 } }
        let without = hidden.indices.filter { hidden[$0] != cell }
        return rank(equations) > rank(equations.map { row in without.map { row[$0] } })
    }

    @Test(arguments: 0..<40)
    func noSmallCountIsShownAndNoHiddenCellFollowsFromTheTotals(seed: Int) {
        let grid = Self.randomGrid(rows: 3 + seed % 9, seed: UInt64(seed) + 1)
        let hidden = grid.suppression()
        for (r, row) in grid.counts.enumerated() {
            for (c, n) in row.enumerated() where (1...15).contains(n) {
                #expect(hidden.contains(.init(row: r, column: c)), "count \(n) at row \(r) column \(c) is shown")
            }
        }
        let list = hidden.sorted()
        for cell in list {
            #expect(!Self.isDetermined(cell, hidden: list, grid: grid), "hidden cell \(cell) follows from the totals")
        }
        for equation in grid.equations {
            let n = equation.filter { hidden.contains($0.cell) }.count
            #expect(n != 1, "a margin equation hides exactly one cell")
        }
        let cells = grid.cells(hiding: hidden)
        #expect(cells.flatMap { $0 }.filter { $0 == .suppressed }.count == hidden.count)
    }

    @Test func aTableWithoutSmallCountsHidesNothing() {
        let grid = CountGrid(rowLabels: ["a", "b", "All"], columns: ["Total", "M", "F"], groups: [[1, 2]],
                             counts: [[40, 20, 20], [0, 0, 0], [40, 20, 20]], totalRow: 2)
        #expect(grid.suppression().isEmpty)
    }

    /// The textbook case: one small cell in a 2x2 table with margins hides a whole rectangle of four cells.
    @Test func aSingleSmallCellHidesARectangle() {
        let grid = CountGrid(rowLabels: ["a", "b", "c", "All"], columns: ["Total", "M", "F"], groups: [[1, 2]],
                             counts: [[50, 5, 45], [60, 30, 30], [100, 70, 30], [210, 105, 105]], totalRow: 3)
        let hidden = grid.suppression()
        #expect(hidden.contains(.init(row: 0, column: 1)))
        #expect(hidden.count == 4, "\(hidden.sorted())")
        #expect(!hidden.contains(where: { $0.column == 0 || $0.row == 3 }), "totals stay shown")
    }
}
