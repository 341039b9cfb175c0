import Foundation
import NAACCR
import Testing

@Suite("Reading and writing NAACCR XML")
struct XMLReadWriteTests {
    let d = NaaccrDictionary.v26

    func read(_ xml: String) throws -> (NaaccrXMLReader, [NaaccrPatient]) {
        let reader = try NaaccrXMLReader(source: MemoryByteSource(Array(xml.utf8)), name: "test.xml")
        var patients: [NaaccrPatient] = []
        while let p = try reader.next() { patients.append(p) }
        return (reader, patients)
    }

    func samplePatients() throws -> [NaaccrPatient] {
        var patients: [NaaccrPatient] = []
        for i in 1...3 {
            var p = NaaccrPatient(dictionary: d)
            try p.set("patientIdNumber", String(format: "%08d", i))
            try p.set("nameLast", i == 2 ? "O'Brien & <Sons> \"Zoë\"" : "Nguyễn")
            try p.set("dateOfBirth", "1950")
            try p.set("sexAssignedAtBirth", "2")
            for t in 1...i {
                var tumor = NaaccrTumor(dictionary: d)
                try tumor.set("primarySite", "C50\(t)")
                try tumor.set("histologicTypeIcdO3", "8500")
                try tumor.set("behaviorCodeIcdO3", "3")
                try tumor.set("dateOfDiagnosis", "2019061\(t)")
                try tumor.set("textRemarks", "line one\nline two\ttabbed")
                p.tumors.append(tumor)
            }
            patients.append(p)
        }
        return patients
    }

    func write(_ patients: [NaaccrPatient], recordType: String = "A", indent: Bool = true) throws -> [UInt8] {
        let sink = MemoryByteSink()
        var header = NaaccrHeader(baseDictionaryUri: d.uri, recordType: recordType)
        header.values[d.key("registryId")!.index] = "0000001234"
        let writer = try NaaccrXMLWriter(sink: sink, dictionary: d, header: header, indent: indent,
                                         timeGenerated: Date(timeIntervalSince1970: 1_700_000_000))
        for p in patients { try writer.write(p) }
        try writer.finish()
        return sink.bytes
    }

    @Test func writeReadWriteGivesTheSameBytes() throws {
        let first = try write(try samplePatients())
        let (reader, patients) = try read(String(decoding: first, as: UTF8.self))
        #expect(reader.header.recordType == "A")
        #expect(patients.count == 3)
        #expect(patients.allSatisfy { $0.issues.isEmpty })
        #expect(patients[1]["nameLast"] == "O'Brien & <Sons> \"Zoë\"")
        #expect(patients[2].tumors.count == 3)
        #expect(patients[0].tumors[0]["textRemarks"] == "line one\nline two\ttabbed")
        let second = try write(patients)
        #expect(first == second)
        // Compact output reads back to the same values too.
        let (_, compact) = try read(String(decoding: try write(patients, indent: false), as: UTF8.self))
        #expect(compact.map(\.values) == patients.map(\.values))
        #expect(compact.map { $0.tumors.map(\.values) } == patients.map { $0.tumors.map(\.values) })
    }

    @Test func incidenceRecordsLeaveOutNamesAndText() throws {
        let xml = String(decoding: try write(try samplePatients(), recordType: "I"), as: UTF8.self)
        #expect(!xml.contains("nameLast"))
        #expect(!xml.contains("textRemarks"))
        #expect(xml.contains("primarySite"))
        #expect(xml.contains("dateOfBirth"), "dateOfBirth is an A,M,C,I item")
    }

    @Test func valueErrorsCarryLinePatientTumorAndItem() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <NaaccrData baseDictionaryUri="http://naaccr.org/naaccrxml/naaccr-dictionary-260.xml" recordType="I"
                specificationVersion="1.8" xmlns="http://naaccr.org/naaccrxml">
              <Patient>
                <Item naaccrId="patientIdNumber">00000001</Item>
                <Item naaccrId="noSuchItem">x</Item>
                <Item naaccrId="primarySite">C500</Item>
                <Tumor>
                  <Item naaccrId="dateOfDiagnosis" naaccrNum="390">20230231</Item>
                  <Item naaccrId="histologicTypeIcdO3" naaccrNum="999">850</Item>
                  <Item naaccrId="primarySite">C50999</Item>
                  <Item naaccrId="behaviorCodeIcdO3">X</Item>
                  <Item naaccrId="dateOf1stContact">2023</Item>
                </Tumor>
              </Patient>
              <Patient><Item naaccrId="patientIdNumber">00000002</Item><Tumor><Item naaccrId="primarySite">C619</Item></Tumor></Patient>
            </NaaccrData>
            """
        let (_, patients) = try read(xml)
        #expect(patients.count == 2)
        let issues = patients[0].issues
        func find(_ kind: NaaccrIssue.Kind, _ id: String) -> NaaccrIssue? { issues.first { $0.kind == kind && $0.naaccrId == id } }
        let unknown = try #require(find(.unknownItem, "noSuchItem"))
        #expect(unknown.line == 6 && unknown.patientIndex == 1 && unknown.tumorIndex == nil)
        let wrongLevel = try #require(find(.wrongLevel, "primarySite"))
        #expect(wrongLevel.line == 7)
        let date = try #require(find(.impossibleDate, "dateOfDiagnosis"))
        #expect(date.line == 9 && date.tumorIndex == 1)
        #expect(find(.wrongNumber, "histologicTypeIcdO3")?.line == 10)
        #expect(find(.valueTooShort, "histologicTypeIcdO3")?.line == 10)
        #expect(find(.valueTooLong, "primarySite")?.line == 11)
        #expect(find(.invalidCharacters, "behaviorCodeIcdO3")?.line == 12)
        #expect(issues.count == 7, "the partial date 2023 is accepted: \(issues)")
        // Invalid values are kept so nothing is lost; unknown and misplaced ones have no slot.
        #expect(patients[0].tumors[0]["dateOfDiagnosis"] == "20230231")
        #expect(patients[0]["primarySite"] == nil)
        #expect(patients[1].issues.isEmpty)
        #expect(issues[0].description.contains("line 6, patient 1, item noSuchItem"))
    }

    @Test func malformedXMLStopsWithTheLine() throws {
        let xml = """
            <NaaccrData baseDictionaryUri="http://naaccr.org/naaccrxml/naaccr-dictionary-260.xml" recordType="I" xmlns="http://naaccr.org/naaccrxml">
              <Patient>
                <Item naaccrId="patientIdNumber">00000001</Item>
                <Tumor>
                  <Item naaccrId="primarySite">C500</Itm>
                </Tumor>
              </Patient>
            </NaaccrData>
            """
        let error = try #require(throws: NaaccrReadError.self) { try read(xml) }
        #expect(error.line == 5)
        #expect(error.message.contains("mismatched end tag"))
    }

    @Test func missingRequiredRootAttributesAreRefused() {
        let noBase = "<NaaccrData recordType=\"I\" xmlns=\"http://naaccr.org/naaccrxml\"></NaaccrData>"
        #expect { try read(noBase) } throws: { ($0 as? NaaccrReadError)?.message.contains("baseDictionaryUri") == true }
        let noType = "<NaaccrData baseDictionaryUri=\"http://naaccr.org/naaccrxml/naaccr-dictionary-260.xml\" xmlns=\"http://naaccr.org/naaccrxml\"/>"
        #expect { try read(noType) } throws: { ($0 as? NaaccrReadError)?.message.contains("recordType") == true }
        let wrongNamespace = "<NaaccrData baseDictionaryUri=\"x\" recordType=\"I\" xmlns=\"http://example.org\"/>"
        #expect { try read(wrongNamespace) } throws: { ($0 as? NaaccrReadError)?.message.contains("namespace") == true }
        let truncated = "<NaaccrData baseDictionaryUri=\"http://naaccr.org/naaccrxml/naaccr-dictionary-260.xml\" recordType=\"I\" xmlns=\"http://naaccr.org/naaccrxml\"><Patient>"
        #expect { try read(truncated) } throws: { ($0 as? NaaccrReadError)?.message.contains("ends inside <Patient>") == true }
    }

    @Test func doctypeIsRefused() {
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><NaaccrData/>"
        #expect { try read(xml) } throws: { ($0 as? NaaccrReadError)?.message.contains("DOCTYPE") == true }
    }

    @Test func prefixesCommentsCDATAEntitiesAndExtensionsAreHandled() throws {
        let xml = """
            <?xml version="1.0"?>
            <!-- a comment -->
            <n:NaaccrData xmlns:n="http://naaccr.org/naaccrxml" xmlns:ext="http://example.org/ext"
                baseDictionaryUri='http://naaccr.org/naaccrxml/naaccr-dictionary-260.xml' recordType="A">
              <n:Item naaccrId="registryId">0000001234</n:Item>
              <n:Patient>
                <n:Item naaccrId="nameLast">Smith &amp; Wesson &#233;&#x4E2D;</n:Item>
                <ext:Anything><ext:Nested>ignored</ext:Nested></ext:Anything>
                <n:Tumor><n:Item naaccrId="textRemarks"><![CDATA[a < b & c]]></n:Item></n:Tumor>
              </n:Patient>
            </n:NaaccrData>
            """
        let (reader, patients) = try read(xml)
        #expect(reader.header.values[d.key("registryId")!.index] == "0000001234")
        #expect(patients[0]["nameLast"] == "Smith & Wesson é中")
        #expect(patients[0].tumors[0]["textRemarks"] == "a < b & c")
        #expect(patients[0].issues.isEmpty)
    }

    @Test func gzipFilesRoundTrip() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("naaccr-\(UUID().uuidString).xml.gz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try NaaccrXMLWriter(sink: try openByteSink(path: path), dictionary: d,
                                         header: NaaccrHeader(baseDictionaryUri: d.uri, recordType: "A"))
        let patients = try samplePatients()
        for _ in 0..<2000 { for p in patients { try writer.write(p) } }
        try writer.finish()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.prefix(2) == Data([0x1f, 0x8b]))
        let reader = try NaaccrXMLReader(path: path)
        var count = 0, tumors = 0
        while let p = try reader.next() { count += 1; tumors += p.tumors.count; #expect(p.issues.isEmpty) }
        #expect(count == 6000)
        #expect(tumors == 12000)
    }

    @Test func userDictionaryItemsAreReadAndWritten() throws {
        let user = try NaaccrDictionary(uri: "http://example.org/ks.xml", naaccrVersion: "260", items: [
            NaaccrItem(naaccrId: "ksReferralSource", naaccrNum: 9501, name: "", length: 2, dataType: .digits, level: .tumor,
                       recordTypes: [.abstract, .modified, .confidential, .incidence]),
        ])
        let xml = """
            <NaaccrData baseDictionaryUri="http://naaccr.org/naaccrxml/naaccr-dictionary-260.xml" userDictionaryUri="http://example.org/ks.xml"
              recordType="I" xmlns="http://naaccr.org/naaccrxml"><Patient><Tumor>
              <Item naaccrId="ksReferralSource" naaccrNum="9501">07</Item></Tumor></Patient></NaaccrData>
            """
        let withUser = try NaaccrXMLReader(source: MemoryByteSource(Array(xml.utf8)), name: "u.xml", userDictionaries: [user])
        let patient = try #require(try withUser.next())
        #expect(patient.tumors[0]["ksReferralSource"] == "07")
        #expect(patient.issues.isEmpty)
        #expect(withUser.header.userDictionaryUris == ["http://example.org/ks.xml"])
        // Without the user dictionary the item is reported as unknown.
        let (_, without) = try read(xml)
        #expect(without[0].issues.first?.kind == .unknownItem)
    }

    @Test func tinyBufferStillParses() throws {
        // Forces tokens across buffer refills.
        let bytes = try write(try samplePatients())
        final class Trickle: ByteSource {
            let bytes: [UInt8]; var offset = 0
            init(_ bytes: [UInt8]) { self.bytes = bytes }
            func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
                let n = min(7, buffer.count, bytes.count - offset)
                for i in 0..<n { buffer[i] = bytes[offset + i] }
                offset += n
                return n
            }
        }
        let reader = try NaaccrXMLReader(source: Trickle(bytes), name: "trickle")
        var patients: [NaaccrPatient] = []
        while let p = try reader.next() { patients.append(p) }
        #expect(patients.count == 3)
        #expect(patients[1]["nameLast"] == "O'Brien & <Sons> \"Zoë\"")
        #expect(try write(patients) == bytes)
    }
}
