import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import NAACCR
import Testing

/// One published dictionary XSD: the attributes of <NaaccrDictionary> and <ItemDef>, the padding values, and whether
/// the root admits attributes of other namespaces.
final class DictionarySchema: NSObject, XMLParserDelegate {
    var rootAttributes: Set<String> = [], itemDefAttributes: Set<String> = [], paddings: Set<String> = []
    var rootAnyAttribute = false
    /// The `xsd:element`s open (named or `ref`), outermost first.
    private var elements: [String] = []
    private var simpleType: String?
    private var element: String? { elements.first }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/reference/naaccr/xsd").standardized
    static var available: Bool { FileManager.default.fileExists(atPath: folder.appendingPathComponent("naaccr_dictionary_1.8.xsd").path) }

    init(version: String) throws {
        super.init()
        let parser = try #require(XMLParser(contentsOf: Self.folder.appendingPathComponent("naaccr_dictionary_\(version).xsd")))
        parser.delegate = self
        parser.shouldProcessNamespaces = true
        #expect(parser.parse())
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "element": elements.append(attributes["name"] ?? "")
        case "attribute" where element == "NaaccrDictionary": rootAttributes.insert(attributes["name"]!)
        case "attribute" where element == "ItemDef": itemDefAttributes.insert(attributes["name"]!)
        case "anyAttribute" where element == "NaaccrDictionary": rootAnyAttribute = true
        case "simpleType": simpleType = attributes["name"]
        case "enumeration" where simpleType == "paddingType": paddings.insert(attributes["value"]!)
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "element" { elements.removeLast() }
        if name == "simpleType" { simpleType = nil }
    }
}

@Suite("Dictionary rules of the NAACCR XML specification")
struct DictionaryRulesTests {
    @Test(.enabled(if: DictionarySchema.available), arguments: NaaccrSpecification.versions)
    func theRulesTableIsThePublishedSchema(_ version: String) throws {
        let schema = try DictionarySchema(version: version)
        #expect(NaaccrSpecification.rootAttributes(version) == schema.rootAttributes, "\(version)")
        #expect(NaaccrSpecification.itemDefAttributes(version) == schema.itemDefAttributes, "\(version)")
        #expect(NaaccrSpecification.paddings(version) == schema.paddings, "\(version)")
        #expect(NaaccrSpecification.rootAllowsForeignAttributes(version) == schema.rootAnyAttribute, "\(version)")
    }

    static func dictionary(_ root: String, _ items: String, namespace: Bool = true) throws -> NaaccrDictionary {
        let text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <NaaccrDictionary \(root)\(namespace ? " xmlns=\"http://naaccr.org/naaccrxml\"" : "")>
              <ItemDefs>\(items)</ItemDefs>
            </NaaccrDictionary>
            """
        return try NaaccrDictionary.load(source: MemoryByteSource(Array(text.utf8)), name: "user.xml")
    }

    static let v14 = NaaccrDictionary.builtIn(uri: "http://naaccr.org/naaccrxml/naaccr-dictionary-140.xml")!
    static let root14 = #"dictionaryUri="http://example.org/ks-140.xml" naaccrVersion="140" specificationVersion="1.5""#

    static func message(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return "\(error)" }
    }

    @Test func aUserItemInsideTheStateRequestorAreaIsAccepted() throws {
        let user = try Self.dictionary(Self.root14, #"<ItemDef naaccrId="ksReferral" naaccrNum="9501" naaccrName="KS Referral" startColumn="2340" length="2" parentXmlElement="Tumor"/>"#)
        try user.checkUserDictionary(against: Self.v14)
    }

    @Test func aUserItemOverAStandardItemsColumnsIsRefused() throws {
        let user = try Self.dictionary(Self.root14, #"<ItemDef naaccrId="myItem" naaccrNum="10001" startColumn="1" length="1" parentXmlElement="Tumor"/>"#)
        #expect(Self.message { try user.checkUserDictionary(against: Self.v14) }.contains("columns 1-1 are not inside the state requestor, NPCR or reserved areas"))
    }

    @Test func aDefaultUserItemMustKeepItsDefinition() throws {
        let user = try Self.dictionary(Self.root14, #"<ItemDef naaccrId="npcrSpecificField" naaccrNum="10000" naaccrName="NPCR Specific Field" startColumn="1306" length="75" parentXmlElement="Tumor"/>"#)
        #expect(Self.message { try user.checkUserDictionary(against: Self.v14) }
            == "ItemDef npcrSpecificField: user dictionary http://example.org/ks-140.xml: an item of the default user dictionary must be defined as it is there: naaccrNum 3720")
    }

    @Test func aStandardIdOrNumberCannotBeReused() throws {
        let byId = try Self.dictionary(Self.root14, #"<ItemDef naaccrId="primarySite" naaccrNum="10001" startColumn="2340" length="4" parentXmlElement="Tumor"/>"#)
        #expect(Self.message { try byId.checkUserDictionary(against: Self.v14) }.contains("the id is a standard item of the base dictionary"))
        let byNumber = try Self.dictionary(Self.root14, #"<ItemDef naaccrId="mySite" naaccrNum="400" startColumn="2340" length="4" parentXmlElement="Tumor"/>"#)
        #expect(Self.message { try byNumber.checkUserDictionary(against: Self.v14) }.contains("naaccrNum 400 is a standard item's number"))
    }

    @Test func theDictionaryUriIsRequired() {
        #expect(Self.message { _ = try Self.dictionary(#"naaccrVersion="140""#, #"<ItemDef naaccrId="myItem" naaccrNum="10001" startColumn="2340" length="1" parentXmlElement="Tumor"/>"#) }
            == "dictionary XML, line 2: <NaaccrDictionary> lacks the required attribute dictionaryUri")
    }

    @Test func attributesTheSpecificationDoesNotDefineAreRefused() {
        #expect(Self.message { _ = try Self.dictionary(Self.root14 + #" other="whatever""#, #"<ItemDef naaccrId="myItem" naaccrNum="10001" length="1" parentXmlElement="Tumor"/>"#) }
            == "dictionary XML, line 2: <NaaccrDictionary> may not have the attribute other (specification 1.5)")
        // allowUnlimitedText left the specification in 1.6.
        let root16 = #"dictionaryUri="http://example.org/ks.xml" naaccrVersion="220" specificationVersion="1.6""#
        #expect(Self.message { _ = try Self.dictionary(root16, #"<ItemDef naaccrId="myItem" naaccrNum="10003" length="1" parentXmlElement="Tumor" allowUnlimitedText="true"/>"#) }
            == "ItemDef myItem: line 3: the attribute allowUnlimitedText is not allowed on <ItemDef> in specification 1.6")
    }

    @Test func theNaaccrNamespaceIsRequired() {
        #expect(Self.message { _ = try Self.dictionary(Self.root14, #"<ItemDef naaccrId="myItem" naaccrNum="10001" length="1" parentXmlElement="Tumor"/>"#, namespace: false) }
            == "dictionary XML, line 2: <NaaccrDictionary> must be in the namespace http://naaccr.org/naaccrxml (xmlns=\"http://naaccr.org/naaccrxml\")")
    }

    @Test func paddingNoneIsAllowedFromSpecification16() throws {
        let item = #"<ItemDef naaccrId="myItem" naaccrNum="10001" length="1" parentXmlElement="Tumor" padding="none"/>"#
        _ = try Self.dictionary(#"dictionaryUri="u" naaccrVersion="220" specificationVersion="1.6""#, item)
        #expect(Self.message { _ = try Self.dictionary(Self.root14, item) }.contains("padding \"none\" is not allowed in specification 1.5"))
    }

    @Test func aUserDictionaryOfAnotherVersionIsRefusedForTheFile() throws {
        let user = try Self.dictionary(Self.root14, #"<ItemDef naaccrId="ksReferral" naaccrNum="9501" startColumn="2340" length="2" parentXmlElement="Tumor"/>"#)
        let xml = """
            <NaaccrData baseDictionaryUri="http://naaccr.org/naaccrxml/naaccr-dictionary-260.xml" recordType="I" specificationVersion="1.8"
              xmlns="http://naaccr.org/naaccrxml"><Patient/></NaaccrData>
            """
        #expect(Self.message { _ = try NaaccrXMLReader(source: MemoryByteSource(Array(xml.utf8)), name: "f.xml", userDictionaries: [user]) }
            .contains("is for NAACCR version 140, the file's base dictionary for 260"))
    }

    @Test func aFileMayUseSeveralUserDictionaries() throws {
        let root = #"naaccrVersion="260" specificationVersion="1.8""#
        let first = try Self.dictionary(#"dictionaryUri="http://example.org/a.xml" "# + root, #"<ItemDef naaccrId="stateA" naaccrNum="9501" length="2" parentXmlElement="Tumor"/>"#)
        let second = try Self.dictionary(#"dictionaryUri="http://example.org/b.xml" "# + root, #"<ItemDef naaccrId="stateB" naaccrNum="9502" length="1" parentXmlElement="Patient"/>"#)
        let xml = """
            <NaaccrData baseDictionaryUri="http://naaccr.org/naaccrxml/naaccr-dictionary-260.xml" userDictionaryUri="http://example.org/a.xml http://example.org/b.xml"
              recordType="I" specificationVersion="1.8" xmlns="http://naaccr.org/naaccrxml">
              <Patient><Item naaccrId="stateB">7</Item><Tumor><Item naaccrId="stateA">12</Item></Tumor></Patient></NaaccrData>
            """
        let reader = try NaaccrXMLReader(source: MemoryByteSource(Array(xml.utf8)), name: "f.xml", userDictionaries: [first, second])
        let patient = try #require(try reader.next())
        #expect(patient["stateB"] == "7" && patient.tumors[0]["stateA"] == "12" && patient.issues.isEmpty)
        // Two user dictionaries may not define the same item.
        let clash = try Self.dictionary(#"dictionaryUri="http://example.org/c.xml" "# + root, #"<ItemDef naaccrId="stateC" naaccrNum="9501" length="2" parentXmlElement="Tumor"/>"#)
        #expect(Self.message { _ = try NaaccrXMLReader(source: MemoryByteSource(Array(xml.utf8)), name: "f.xml", userDictionaries: [first, clash]) }
            == "item number 9501 is used twice")
    }
}
