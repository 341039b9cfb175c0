import Foundation

/// A cross-tabulation of counts whose margins are published: in every row each column group sums to the row's total
/// (column 0), and the rows other than the total row sum to the total row, column by column.
///
/// Public statistics follow the U.S. Cancer Statistics (USCS) data-suppression rule: a count from 1 to 15 is not
/// shown, and neither is any figure based on it. `suppression()` adds complementary suppression so that no hidden
/// cell can be worked out from the shown cells and the margins.
public struct CountGrid: Sendable, Equatable {
    public var rowLabels: [String]
    /// Column 0 is the row total; the others belong to the groups.
    public var columns: [String]
    /// Column groups (indices into `columns`, never 0), each summing to column 0 in every row.
    public var groups: [[Int]]
    public var counts: [[Int]]
    /// The row that is the sum of all the others, if the table has one.
    public var totalRow: Int?

    public init(rowLabels: [String], columns: [String], groups: [[Int]], counts: [[Int]], totalRow: Int?) {
        self.rowLabels = rowLabels
        self.columns = columns
        self.groups = groups
        self.counts = counts
        self.totalRow = totalRow
    }

    /// USCS: counts from 1 to 15 are suppressed in public data.
    public static let smallestPublicCount = 16

    /// A cell by row and column.
    public struct Cell: Hashable, Sendable, Comparable {
        public var row: Int
        public var column: Int
        public init(row: Int, column: Int) { self.row = row; self.column = column }
        public static func < (a: Cell, b: Cell) -> Bool { (a.row, a.column) < (b.row, b.column) }
    }

    /// The table's linear constraints, each a list of (cell, coefficient) summing to zero: in each row, each group's
    /// cells minus the total; in each column, the rows minus the total row.
    public var equations: [[(cell: Cell, coefficient: Int)]] {
        var out: [[(cell: Cell, coefficient: Int)]] = []
        for r in counts.indices {
            for group in groups {
                out.append(group.map { (Cell(row: r, column: $0), 1) } + [(Cell(row: r, column: 0), -1)])
            }
        }
        if let total = totalRow {
            for c in columns.indices {
                out.append(counts.indices.filter { $0 != total }.map { (Cell(row: $0, column: c), 1) } + [(Cell(row: total, column: c), -1)])
            }
        }
        return out
    }

    /// The cells a public table hides: every count from 1 to 15 (primary suppression), and as few further cells as
    /// this heuristic finds (complementary suppression, smallest counts first, totals last) so that every margin
    /// equation hides none or at least two cells and no hidden cell is determined by the shown cells and the
    /// margins (checked by elimination over the equations; a determined cell gets another complement).
    public func suppression(threshold: Int = CountGrid.smallestPublicCount) -> Set<Cell> {
        var hidden = Set<Cell>()
        for (r, row) in counts.enumerated() {
            for (c, n) in row.enumerated() where n > 0 && n < threshold { hidden.insert(Cell(row: r, column: c)) }
        }
        guard !hidden.isEmpty else { return hidden }
        let equations = self.equations
        func isTotal(_ cell: Cell) -> Bool { cell.column == 0 || cell.row == totalRow }
        /// The cell to hide beside `equation`'s single hidden one: the smallest positive count, then a zero, totals last.
        func complement(in equation: [(cell: Cell, coefficient: Int)]) -> Cell? {
            equation.map(\.cell).filter { !hidden.contains($0) }.min { a, b in
                let ka = (isTotal(a) ? 1 : 0, counts[a.row][a.column] == 0 ? 1 : 0, counts[a.row][a.column], a)
                let kb = (isTotal(b) ? 1 : 0, counts[b.row][b.column] == 0 ? 1 : 0, counts[b.row][b.column], b)
                return ka < kb
            }
        }
        while true {
            var changed = true
            while changed {
                changed = false
                for equation in equations where equation.filter({ hidden.contains($0.cell) }).count == 1 {
                    if let cell = complement(in: equation) { hidden.insert(cell); changed = true }
                }
            }
            guard let exposed = determinedCells(hidden: hidden, equations: equations).first else { return hidden }
            // Hide one more cell in an equation of the exposed cell (the first that has one left to hide).
            var added = false
            for equation in equations where equation.contains(where: { $0.cell == exposed }) {
                if let cell = complement(in: equation) { hidden.insert(cell); added = true; break }
            }
            if !added { return hidden }
        }
    }

    /// Hidden cells whose value follows from the margins: `e_i` lies in the row space of the equations restricted to
    /// the hidden cells (reduced row echelon form, exact over small integers in Double).
    func determinedCells(hidden: Set<Cell>, equations: [[(cell: Cell, coefficient: Int)]]) -> [Cell] {
        let unknowns = hidden.sorted()
        let index = Dictionary(uniqueKeysWithValues: unknowns.enumerated().map { ($1, $0) })
        var matrix: [[Double]] = equations.compactMap { equation in
            var row = [Double](repeating: 0, count: unknowns.count)
            var any = false
            for term in equation { if let i = index[term.cell] { row[i] += Double(term.coefficient); any = true } }
            return any ? row : nil
        }
        var pivotRowOf: [Int: Int] = [:]
        var rank = 0
        for column in unknowns.indices where rank < matrix.count {
            guard let p = (rank..<matrix.count).first(where: { abs(matrix[$0][column]) > 1e-9 }) else { continue }
            matrix.swapAt(rank, p)
            let pivot = matrix[rank][column]
            for k in matrix[rank].indices { matrix[rank][k] /= pivot }
            for r in matrix.indices where r != rank && abs(matrix[r][column]) > 1e-9 {
                let f = matrix[r][column]
                for k in matrix[r].indices { matrix[r][k] -= f * matrix[rank][k] }
            }
            pivotRowOf[column] = rank
            rank += 1
        }
        return unknowns.indices.compactMap { column in
            guard let r = pivotRowOf[column] else { return nil }
            let alone = matrix[r].indices.allSatisfy { $0 == column || abs(matrix[r][$0]) < 1e-9 }
            return alone ? unknowns[column] : nil
        }
    }

    /// The grid as report cells: counts, with `hidden` cells suppressed.
    public func cells(hiding hidden: Set<Cell> = []) -> [[ReportCell]] {
        counts.enumerated().map { r, row in
            [.text(rowLabels[r])] + row.enumerated().map { c, n in hidden.contains(Cell(row: r, column: c)) ? .suppressed : .count(n) }
        }
    }
}
