import Foundation
import Registry
import Testing

@Suite("Reading case listings")
struct SurvivalInputTests {
    /// The byte-level reader gives the very double the text parses to (as Swift's Double(String) does), so ties stay ties.
    @Test func timesAreParsedExactlyAndBadRowsNameTheirLine() throws {
        var random = SystemRandomNumberGenerator()
        var text = "time_months,event,group\n"
        var expected: [Double] = []
        for i in 0..<20_000 {
            let decimals = Int.random(in: 0...6, using: &random)
            let value = String(format: "%.\(decimals)f", Double.random(in: 0..<500, using: &random))
            expected.append(Double(value)!)
            text += "\(value),\(i % 2),\(i % 3 == 0 ? "Lung" : "Breast")\r\n"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("listing-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let records = try SurvivalInput.readCSV(path: file.path)
        #expect(records.map(\.months) == expected)
        #expect(records.filter(\.event).count == 10_000 && Set(records.map(\.group)) == ["Lung", "Breast"])
        try "time_months,event\n12.5,1\n3,x\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: SurvivalInputError.self) { try SurvivalInput.readCSV(path: file.path) }
        do { _ = try SurvivalInput.readCSV(path: file.path) } catch let error as SurvivalInputError {
            #expect(error.line == 3, "\(error)")
        }
    }
}
