import Coding
import Foundation
import Testing

@Suite("ICD-O-3 tables and the SEER site recode")
struct CodingTests {
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/reference")

    /// code,label rows of a reference CSV (quoted labels may hold commas), nil when ../shared is absent.
    static func referenceRows(_ path: String) -> [(String, String)]? {
        guard let text = try? String(contentsOf: reference.appendingPathComponent(path), encoding: .utf8) else { return nil }
        return text.split(whereSeparator: \.isNewline).map { (line: Substring) -> (String, String) in
            let comma = line.firstIndex(of: ",")!
            var label = String(line[comma...].dropFirst())
            if label.hasPrefix("\"") { label = String(label.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"") }
            return (String(line[..<comma]), label)
        }
    }

    @Test func tablesHaveThePublishedSizes() {
        #expect(ICDO3.topography.count == 330)
        #expect(ICDO3.morphology.count == 1371)
        #expect(ICDO3.topography.label("C504") == "Upper-outer quadrant of breast")
        #expect(ICDO3.morphology.label("8500/3") == "Invasive carcinoma of no special type (C50._) [BREAST ONLY]")
        #expect(ICDO3.isHistology("8140") && ICDO3.isHistology("8001") && !ICDO3.isHistology("8006") && !ICDO3.isHistology("12AB"))
        #expect(ICDO3.isMorphology(histology: "8140", behavior: "3") && !ICDO3.isMorphology(histology: "9140", behavior: "0"))
    }

    @Test func tablesMatchTheReferenceFilesWhenPresent() throws {
        guard let topography = Self.referenceRows("icdo3/primarySite.csv"),
              let morphology = Self.referenceRows("icdo3/histologicTypeIcdO3_preferredTermsOnly.csv"),
              let laterality = Self.referenceRows("icdo3/laterality.csv") else { return }
        #expect(topography.map(\.0) == ICDO3.topography.entries.map(\.code))
        for (code, label) in topography { #expect(ICDO3.topography.label(code) == label, "\(code)") }
        #expect(morphology.map(\.0) == ICDO3.morphology.entries.map(\.code))
        for (code, label) in morphology { #expect(ICDO3.morphology.label(code) == label, "\(code)") }
        #expect(Set(laterality.map(\.0)) == Set(ICDO3.laterality.entries.map(\.code)))
    }

    @Test func siteRecodeGroupsMatchTheReferenceDefinitionWhenPresent() throws {
        guard let text = try? String(contentsOf: Self.reference.appendingPathComponent("seer-site-recode/site-recode-data-2023.csv"), encoding: .utf8)
        else { return }
        // "ID","Name","Indentation",...,"Recode": the leaf rows (indentation 1) in order, as our table has them.
        let leaves = text.split(whereSeparator: \.isNewline).dropFirst().compactMap { line -> (String, String)? in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            guard let indent = fields.dropFirst(2).first, indent != "0" else { return nil }
            let quotedName = line.split(separator: "\"")[2]
            return (fields.last!, String(quotedName))
        }
        let ours = SEERSiteRecode.revision2023.groups.map { ($0.code, $0.name) }
        #expect(ours.count == leaves.count)
        for (a, b) in zip(ours, leaves) { #expect(a == b) }
    }

    @Test func pairedAndSexSpecificSites() {
        for site in ["C500", "C509", "C341", "C649", "C569", "C620", "C740", "C079", "C441"] { #expect(ICDO3.isPairedSite(site), "\(site)") }
        for site in ["C619", "C180", "C739", "C809", "C440", "C220"] { #expect(!ICDO3.isPairedSite(site), "\(site)") }
        #expect(ICDO3.isFemaleOnlySite("C539") && ICDO3.isFemaleOnlySite("C569") && !ICDO3.isFemaleOnlySite("C500"))
        #expect(ICDO3.isMaleOnlySite("C619") && ICDO3.isMaleOnlySite("C620") && !ICDO3.isMaleOnlySite("C649"))
    }

    @Test func siteRecodeTakesTheFirstMatchingGroup() {
        let recode = SEERSiteRecode.revision2023
        #expect(recode.recode(site: "C504", histology: "8500", behavior: "3", year: 2020).name == "Breast")
        #expect(recode.recode(site: "C445", histology: "8720", behavior: "3", year: 2020).name == "Melanoma of the Skin")
        #expect(recode.recode(site: "C445", histology: "8090", behavior: "3", year: 2020).name == "Other Non-Epithelial Skin")
        #expect(recode.recode(site: "C341", histology: "9050", behavior: "3", year: 2020).name == "Mesothelioma")  // histology first
        #expect(recode.recode(site: "C619", histology: "8140", behavior: "3", year: 2020).code == "49")
        #expect(recode.recode(site: "C182", histology: "8140", behavior: "3", year: 2020).name == "Colon and Rectum (excluding Appendix)")
        #expect(recode.recode(site: "C421", histology: "9823", behavior: "3", year: 2015).code == "68")
        #expect(recode.recode(site: "C712", histology: "9530", behavior: "0", year: 2015).code == "81")  // benign brain
        #expect(recode.recode(site: "C504", histology: "8500", behavior: "0", year: 2020).code == "99")
        #expect(recode.recode(site: "X", histology: "8500", behavior: "3", year: 2020).code == "99")
    }

    @Test func aPackedIndexFindsEachCodeAtItsFirstPosition() {
        let codes = ["", "9", "99", "C509", "8500/3", "0123456789ABCDE", "0123456789ABCDEF", "99", "XX.9"]
        let index = PackedCodeIndex(codes)
        for (i, code) in codes.enumerated() { #expect(index.position(of: code) == codes.firstIndex(of: code), "\(i) \(code)") }
        for absent in ["999", "C50", "0123456789ABCDEFG", "0123456789ABCD", " 9", "9 "] { #expect(index.position(of: absent) == nil, "\(absent)") }
        #expect(PackedCodeSet(["1", "2"]).contains("2") && !PackedCodeSet(["1", "2"]).contains("12"))
    }

    @Test func searchFindsCodesAndWords() {
        #expect(ICDO3.topography.search("C50").first?.code == "C500")
        #expect(ICDO3.topography.search("c50.4").first?.code == "C504")
        let duct = ICDO3.morphology.search("collect duct carc")
        #expect(duct.map(\.code) == ["8319/3"])
        #expect(ICDO3.morphology.search("8500").contains { $0.code == "8500/3" })
        #expect(ICDO3.morphology.search("zzzz").isEmpty)
    }
}
