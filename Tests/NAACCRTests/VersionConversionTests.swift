import Foundation
import NAACCR
import Testing

@Suite("Converting older NAACCR versions to v26")
struct VersionConversionTests {
    static func read(_ xml: String) throws -> (NaaccrXMLReader, NaaccrPatient) {
        let reader = try NaaccrXMLReader(source: MemoryByteSource(Array(xml.utf8)), name: "old.xml")
        return (reader, try #require(try reader.next()))
    }

    static func file(version: String, patient: String, tumors: [String]) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <NaaccrData baseDictionaryUri="http://naaccr.org/naaccrxml/naaccr-dictionary-\(version).xml" recordType="A" xmlns="http://naaccr.org/naaccrxml">
          <Patient><Item naaccrId="patientIdNumber">00000042</Item>\(patient)
            \(tumors.map { "<Tumor>\($0)</Tumor>" }.joined(separator: "\n    "))
          </Patient>
        </NaaccrData>
        """
    }

    @Test func valuesGoToTheItemOfTheSameNumberAndRetiredOnesAreKept() throws {
        let (reader, patient) = try Self.read(Self.file(version: "180", patient: "<Item naaccrId=\"sex\">2</Item>",
                                                        tumors: ["<Item naaccrId=\"primarySite\">C509</Item><Item naaccrId=\"reserved00\">X1</Item>"]))
        let converter = try NaaccrVersionConverter(from: reader.dictionary)
        let converted = converter.convert(patient)
        #expect(converted.dictionary === converter.target)
        #expect(converted["patientIdNumber"] == "00000042")
        #expect(converted.tumors[0]["primarySite"] == "C509")
        // Sex (220) is retired in v26: kept under its number, and Sex Assigned at Birth (225) derived from it.
        #expect(converted["sexAssignedAtBirth"] == "2")
        let retiredSex = try #require(converter.target.key(naaccrNum: 220))
        #expect(converted[retiredSex] == "2")
        #expect(NaaccrDictionary.v26.key(naaccrNum: 220) == nil)
        // reserved00 (37, from v18's default user dictionary) is not in v26 either: kept too.
        #expect(converted.tumors[0][converter.target.key(naaccrNum: 37)!] == "X1")
        #expect(converter.counts["retired, kept: sex (220)"] == 1)
        #expect(converter.counts["derived from sex (220): sexAssignedAtBirth"] == 1)
        #expect(converted.issues.isEmpty)
    }

    @Test(arguments: [("1", "C509", "1"), ("2", "C619", "2"), ("5", "C509", "1"), ("6", "C509", "2"), ("3", "C509", "9"), ("4", "C619", "9"),
                      ("9", "C619", "1"), ("9", "C539", "2"), ("9", "C509", "9")])
    func sexBecomesSexAssignedAtBirthByTheCodingInstructions(sex: String, site: String, expected: String) throws {
        let (reader, patient) = try Self.read(Self.file(version: "250", patient: "<Item naaccrId=\"sex\">\(sex)</Item>",
                                                        tumors: ["<Item naaccrId=\"primarySite\">\(site)</Item>"]))
        #expect(try NaaccrVersionConverter(from: reader.dictionary).convert(patient)["sexAssignedAtBirth"] == expected)
    }

    @Test func anItemThatMovedToThePatientTakesTheFirstTumorsValueAndReportsDisagreement() throws {
        let (reader, patient) = try Self.read(Self.file(version: "180", patient: "", tumors: [
            "<Item naaccrId=\"followUpSourceCentral\">03</Item>", "<Item naaccrId=\"followUpSourceCentral\">05</Item>"]))
        #expect(reader.dictionary.item("followUpSourceCentral")?.level == .tumor)
        let converted = try NaaccrVersionConverter(from: reader.dictionary).convert(patient)
        #expect(NaaccrDictionary.v26.item("followUpSourceCentral")?.level == .patient)
        #expect(converted["followUpSourceCentral"] == "03")
        let issue = try #require(converted.issues.first)
        #expect(issue.kind == .tumorsDisagree && issue.naaccrId == "followUpSourceCentral" && issue.patientIndex == 1)
    }

    @Test func aValueTheCurrentVersionNoLongerAllowsIsKeptAndReported() throws {
        // TNM Path Staged By (930) had one digit in v14 and has two since.
        #expect(NaaccrDictionary.builtIn(uri: "http://naaccr.org/naaccrxml/naaccr-dictionary-140.xml")?.item("tnmPathStagedBy")?.length == 1)
        let (reader, patient) = try Self.read(Self.file(version: "140", patient: "", tumors: ["<Item naaccrId=\"tnmPathStagedBy\">1</Item>"]))
        let converted = try NaaccrVersionConverter(from: reader.dictionary).convert(patient)
        #expect(converted.tumors[0]["tnmPathStagedBy"] == "1")
        let issue = try #require(converted.issues.first { $0.naaccrId == "tnmPathStagedBy" })
        #expect(issue.kind == .valueTooShort && issue.tumorIndex == 1 && issue.detail.contains("kept as sent"))
    }
}
