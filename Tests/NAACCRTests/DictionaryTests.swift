import Foundation
import NAACCR
import Testing

@Suite("The NAACCR dictionary")
struct DictionaryTests {
    static let referencePath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("../../../shared/reference/naaccr/naaccr-dictionary-260.xml").standardized.path

    @Test func builtInVersion26HasTheStandardCounts() {
        let d = NaaccrDictionary.v26
        #expect(d.naaccrVersion == "260")
        #expect(d.count(.naaccrData) == 5)
        #expect(d.count(.patient) == 49)
        #expect(d.count(.tumor) == 717)
        #expect(d.item("sex") == nil, "sex (220) was removed in v26")
        let sex = try! #require(d.item("sexAssignedAtBirth"))
        #expect(sex.naaccrNum == 225 && sex.level == .patient && sex.length == 1 && sex.dataType == .digits)
        let site = try! #require(d.item("primarySite"))
        #expect(site.naaccrNum == 400 && site.dataType == .text && site.length == 4)
        #expect(d.item("nameLast")?.recordTypes == [.abstract, .modified, .confidential])
        #expect(d.item("textRemarks")?.recordTypes == [.abstract, .modified])
        #expect(d.item("race1")?.padding == .leftZero)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: referencePath)))
    func builtInMatchesThePublishedDictionaryItemByItem() throws {
        let published = try NaaccrDictionary.load(path: Self.referencePath)
        #expect(published.uri == NaaccrDictionary.v26.uri)
        #expect(published.allItems.count == 771)
        for item in published.allItems {
            let ours = try #require(NaaccrDictionary.v26.item(item.naaccrId), "\(item.naaccrId) missing")
            #expect(ours == item, "\(item.naaccrId) differs")
        }
        #expect(NaaccrDictionary.v26.allItems.count == published.allItems.count)
    }

    @Test func userDictionaryAddsRegistryItems() throws {
        let xml = """
            <?xml version="1.0"?>
            <NaaccrDictionary dictionaryUri="http://example.org/user-dictionary-ks.xml" naaccrVersion="260"
                xmlns="http://naaccr.org/naaccrxml">
              <ItemDefs>
                <ItemDef naaccrId="ksReferralSource" naaccrNum="9501" naaccrName="KS Referral Source" length="2"
                  dataType="digits" recordTypes="A,M,C,I" parentXmlElement="Tumor" padding="leftZero"/>
                <ItemDef naaccrId="ksFollowupFlag" naaccrNum="9502" length="1" parentXmlElement="Patient"/>
              </ItemDefs>
            </NaaccrDictionary>
            """
        let user = try NaaccrDictionary.load(source: MemoryByteSource(Array(xml.utf8)), name: "user.xml")
        let merged = try NaaccrDictionary.v26.merging([user])
        #expect(merged.item("ksReferralSource")?.level == .tumor)
        #expect(merged.item("ksFollowupFlag")?.dataType == .text)
        #expect(merged.count(.tumor) == 718)
        #expect(merged.userDictionaryUris == ["http://example.org/user-dictionary-ks.xml"])
        // A user item may not reuse a base number.
        let clash = try NaaccrDictionary(uri: "x", naaccrVersion: "260", items: [
            NaaccrItem(naaccrId: "mine", naaccrNum: 400, name: "", length: 1, dataType: .text, level: .tumor, recordTypes: .abstract),
        ])
        #expect(throws: NaaccrDictionaryError.duplicateNumber(400)) { try NaaccrDictionary.v26.merging([clash]) }
    }

    @Test func malformedItemDefIsNamed() {
        let xml = """
            <NaaccrDictionary dictionaryUri="u" xmlns="http://naaccr.org/naaccrxml"><ItemDefs>
            <ItemDef naaccrId="broken" naaccrNum="9999" length="x" parentXmlElement="Tumor"/></ItemDefs></NaaccrDictionary>
            """
        #expect(throws: NaaccrDictionaryError.self) {
            try NaaccrDictionary.load(source: MemoryByteSource(Array(xml.utf8)), name: "bad.xml")
        }
    }

    @Test func paddingNoneIsTheSameAsNoPadding() throws {
        let xml = """
            <?xml version="1.0"?>
            <NaaccrDictionary dictionaryUri="http://example.org/user-dictionary-pad.xml" naaccrVersion="260" specificationVersion="1.8"
                xmlns="http://naaccr.org/naaccrxml">
              <ItemDefs><ItemDef naaccrId="stateNote" naaccrNum="9601" length="10" parentXmlElement="Tumor" padding="none"/></ItemDefs>
            </NaaccrDictionary>
            """
        let user = try NaaccrDictionary.load(source: MemoryByteSource(Array(xml.utf8)), name: "pad.xml")
        #expect(user.item("stateNote")?.padding == NaaccrPadding.none)
    }
}
