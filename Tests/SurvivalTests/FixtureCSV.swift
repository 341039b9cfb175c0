import Foundation

/// A fixture CSV written by scripts/survival-fixtures.R (header row, no quoting, NA for missing).
struct FixtureCSV {
    let header: [String]
    let rows: [[String]]

    init(_ name: String) throws {
        let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("Fixtures/\(name)")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    func column(_ name: String) -> Int { header.firstIndex(of: name)! }
    func string(_ row: [String], _ name: String) -> String { row[column(name)] }
    func double(_ row: [String], _ name: String) -> Double? {
        let text = row[column(name)]
        return text == "NA" ? nil : text == "Inf" ? .infinity : Double(text)!
    }
}

/// |a − b| within `tolerance` relative to the larger magnitude (absolute below 1).
func close(_ a: Double?, _ b: Double?, _ tolerance: Double) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case (let x?, nil), (nil, let x?): return x.isNaN  // R writes NaN as NA
    case let (x?, y?):
        if x.isNaN && y.isNaN { return true }
        if x == y { return true }
        return abs(x - y) <= tolerance * Swift.max(1, abs(x), abs(y))
    default: return false
    }
}
