import Foundation
@testable import Reports
import Testing

/// The workbook read back by an independent reader (Python's openpyxl): sheets, titles, numbers as numbers, the
/// suppression mark as text, awkward characters intact.
@Suite("XLSX read back with openpyxl")
struct XLSXTests {
    @Test func openpyxlReadsEverySheetAndCell() throws {
        let tables = [
            ReportTable(title: "Primary site table, 2024", counts: "tumors diagnosed in 2024", columns: ["Site", "Total", "Male"],
                        cells: [[.text("Lung & bronchus <C34>"), .count(224), .count(115)], [.text("Gum"), .suppressed, .suppressed]],
                        notes: ["* not shown"], name: "primary-sites"),
            ReportTable(title: "Survival", columns: ["Site", "5-year %"],
                        cells: [[.text("Ñúñez \"quoted\""), .number(81.14, decimals: 1)], [.text("Lung"), .notAvailable]], name: "survival"),
        ]
        let data = try XLSXWriter.workbook(tables, title: "Annual report")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("t-\(UUID().uuidString).xlsx")
        try data.write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let script = """
            import json, sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            print(json.dumps({ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path.path]
        let pipe = Pipe(), errors = Pipe()
        process.standardOutput = pipe
        process.standardError = errors
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        try #require(process.terminationStatus == 0, "openpyxl (pip install openpyxl) failed: \(message)")
        let sheets = try #require(try JSONSerialization.jsonObject(with: output) as? [String: [[Any]]])
        #expect(Set(sheets.keys) == ["primary-sites", "survival"])
        let first = try #require(sheets["primary-sites"])
        #expect(first[0][0] as? String == "Primary site table, 2024")
        #expect(first[1][0] as? String == "tumors diagnosed in 2024")
        #expect(first[2].compactMap { $0 as? String } == ["Site", "Total", "Male"])
        #expect(first[3][0] as? String == "Lung & bronchus <C34>")
        #expect((first[3][1] as? NSNumber)?.intValue == 224 && (first[3][2] as? NSNumber)?.intValue == 115)
        #expect(first[4][1] as? String == "*")
        #expect(first[5][0] as? String == "* not shown")
        let second = try #require(sheets["survival"])
        #expect(second[2][0] as? String == "Ñúñez \"quoted\"")
        #expect(abs(((second[2][1] as? NSNumber)?.doubleValue ?? 0) - 81.14) < 1e-12)
        #expect(second[3][1] as? String == "–")
    }

    @Test func sheetNamesAreValidAndUnique() {
        let names = XLSXWriter.sheetNames(["a/b:c", "A/B:C", String(repeating: "x", count: 40), ""])
        #expect(names[0] == "abc" && names[1] == "ABC (2)" && names[2].count == 31 && names[3] == "Table")
        #expect(XLSXWriter.column(0) == "A" && XLSXWriter.column(25) == "Z" && XLSXWriter.column(26) == "AA" && XLSXWriter.column(701) == "ZZ")
    }
}
