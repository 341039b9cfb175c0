import Coding
import Foundation
import Testing

@Suite("The NAACCR code lists")
struct NaaccrCodeListTests {
    static let folder = CodingTests.reference.appendingPathComponent("naaccr/lookups")
    static var available: Bool { FileManager.default.fileExists(atPath: folder.appendingPathComponent("laterality.csv").path) }

    /// RFC 4180 rows of a published list (quoted fields may hold commas, quotes and line breaks).
    static func rows(_ url: URL) throws -> [[String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text), i = 0
        if chars.last != "\n" { chars.append("\n") }
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" { if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false } }
                else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\n" || c == "\r\n" { row.append(field); rows.append(row); row = []; field = "" }
            else if c != "\r" { field.append(c) }
            i += 1
        }
        return rows.filter { !($0.count == 1 && $0[0].isEmpty) }
    }

    @Test(.enabled(if: available))
    func everyListIsThePublishedOneCodeByCode() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.folder, includingPropertiesForKeys: nil).filter { $0.pathExtension == "csv" }
        var compared = 0
        for file in files {
            let id = file.deletingPathExtension().lastPathComponent
            guard let list = NaaccrCodeLists.list(id) else { continue }  // not an item of the current dictionary
            let published = try Self.rows(file).filter { $0[0].trimmingCharacters(in: .whitespaces) != "Blank" }
            #expect(list.entries.map(\.code) == published.map { $0[0].trimmingCharacters(in: .whitespaces) }, "\(id)")
            for row in published {
                let lines = row[1].split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                #expect(list.label(row[0].trimmingCharacters(in: .whitespaces)) == lines.joined(separator: " / "), "\(id) \(row[0])")
            }
            compared += 1
        }
        #expect(compared >= 250)
    }

    @Test func rangesAndLabels() throws {
        let size = try #require(NaaccrCodeLists.list("tumorSizeSummary"))
        #expect(size.contains("002") && size.contains("988") && size.contains("150") && size.contains("999"))
        #expect(!size.contains("991") && !size.contains("997") && !size.contains("1500") && !size.contains("15"))
        #expect(size.label("150") == "Exact size in millimeters (2 mm to 988 mm)")
        let sex = try #require(NaaccrCodeLists.list("sexAssignedAtBirth"))
        #expect(sex.entries.map(\.code) == ["1", "2", "9"])
        #expect(NaaccrCodeLists.list("primaryPayerAtDx")?.contains("63") == true)
        #expect(NaaccrCodeLists.list("phase1RadiationTreatmentModality")?.contains("98") == true)
        #expect(NaaccrCodeLists.list("race1")?.search("chin").first?.code == "04")
        #expect(NaaccrCodeLists.list("dateOfDiagnosis") == nil)
    }

    @Test func histologyCodesCarryTheirYearsOfUse() {
        // SEER's list marks codes new in a year ([2021+]) and codes replaced ([PRE-2010 ONLY...]).
        #expect(ICDO3.yearsOfUse("9110/3")?.first == 2021)
        #expect(ICDO3.yearsOfUse("9733/3")?.last == 2009)
        #expect(ICDO3.yearsOfUse("8500/3") == nil)
        #expect(ICDO3.behaviorsListed(histology: "8500") == ["2", "3"])
    }
}
