import Foundation
import NAACCR
import Testing

@Suite("Every NAACCR version's dictionary is built in")
struct DictionaryVersionTests {
    static let referenceFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("../../../shared/reference/naaccr/dictionaries").standardized

    static var publishedFiles: [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: referenceFolder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "xml" }.sorted { $0.path < $1.path }
    }

    @Test func theBaseDictionariesOfVersions14To26AreBuiltIn() {
        let versions = NaaccrDictionary.builtInBaseURIs.compactMap { NaaccrDictionary.builtIn(uri: $0)?.naaccrVersion }
        #expect(versions == ["140", "150", "160", "180", "210", "220", "230", "240", "250", "260"])
        // Version 18 still has sex (220); version 26 replaced it with sexAssignedAtBirth (225).
        let v18 = NaaccrDictionary.builtIn(uri: "http://naaccr.org/naaccrxml/naaccr-dictionary-180.xml")
        #expect(v18?.item("sex")?.naaccrNum == 220)
        #expect(NaaccrDictionary.v26.item("sex") == nil)
        // Flat-file columns come with the dictionaries that define them.
        #expect(v18?.item("primarySite")?.startColumn != nil)
        #expect(NaaccrDictionary.defaultUserDictionary(forBase: v18!)?.uri == "http://naaccr.org/naaccrxml/user-defined-naaccr-dictionary-180.xml")
        #expect(NaaccrDictionary.defaultUserDictionary(forBase: .v26) == nil)
    }

    @Test(.enabled(if: !publishedFiles.isEmpty))
    func eachBuiltInDictionaryMatchesThePublishedFileItemByItem() throws {
        #expect(Self.publishedFiles.count == 15)
        for file in Self.publishedFiles {
            let published = try NaaccrDictionary.load(path: file.path)
            let ours = try #require(NaaccrDictionary.builtIn(uri: published.uri), "\(file.lastPathComponent) is not built in")
            #expect(ours.allItems.count == published.allItems.count, "\(file.lastPathComponent)")
            for item in published.allItems {
                #expect(ours.item(item.naaccrId) == item, "\(file.lastPathComponent): \(item.naaccrId) differs")
            }
        }
    }

    static func xml(base: String, items: String) -> [UInt8] {
        Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <NaaccrData baseDictionaryUri="\(base)" recordType="I" specificationVersion="1.3" xmlns="http://naaccr.org/naaccrxml">
              <Item naaccrId="registryId">0000001234</Item>
              <Patient>
                <Item naaccrId="patientIdNumber">00000042</Item>
                <Item naaccrId="sex">2</Item>
                <Tumor><Item naaccrId="primarySite">C509</Item>\(items)</Tumor>
              </Patient>
            </NaaccrData>
            """.utf8)
    }

    @Test func aVersion18FileIsReadAgainstItsOwnDictionaryWithItsDefaultUserDictionary() throws {
        let bytes = Self.xml(base: "http://naaccr.org/naaccrxml/naaccr-dictionary-180.xml", items: "<Item naaccrId=\"reserved00\">ABC</Item>")
        let reader = try NaaccrXMLReader(source: MemoryByteSource(bytes), name: "v18.xml")
        #expect(reader.dictionary.naaccrVersion == "180")
        #expect(reader.dictionary.userDictionaryUris == ["http://naaccr.org/naaccrxml/user-defined-naaccr-dictionary-180.xml"])
        let patient = try #require(try reader.next())
        #expect(patient[reader.dictionary.key("sex")!] == "2")
        #expect(patient.tumors[0][reader.dictionary.key("reserved00")!] == "ABC")
        #expect(patient.issues.isEmpty)
    }

    @Test func anUnknownBaseDictionaryNamesTheOptionThatLoadsOne() throws {
        let bytes = Self.xml(base: "http://example.org/naaccr-dictionary-999.xml", items: "")
        do {
            _ = try NaaccrXMLReader(source: MemoryByteSource(bytes), name: "odd.xml")
            Issue.record("a file with an unknown base dictionary was read")
        } catch let error as NaaccrDictionaryError {
            #expect(error.description.contains("--dictionary FILE.xml"))
        }
        // Given that dictionary, it reads.
        let v18 = try #require(NaaccrDictionary.builtIn(uri: "http://naaccr.org/naaccrxml/naaccr-dictionary-180.xml"))
        let reader = try NaaccrXMLReader(source: MemoryByteSource(bytes), name: "odd.xml", dictionary: v18)
        #expect(try reader.next()?[v18.key("patientIdNumber")!] == "00000042")
    }
}
