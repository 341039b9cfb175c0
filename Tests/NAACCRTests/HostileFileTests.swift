import Foundation
import NAACCR
import Testing

/// Odd and hostile files: the data kept exactly, or a clear error with the line; never a silent change.
@Suite("Odd and hostile NAACCR files")
struct HostileFileTests {
    static func file(_ tumorItems: String, prefix: [UInt8] = []) -> [UInt8] {
        prefix + Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <NaaccrData baseDictionaryUri="http://naaccr.org/naaccrxml/naaccr-dictionary-260.xml" recordType="A" specificationVersion="1.8" xmlns="http://naaccr.org/naaccrxml">
              <Patient><Item naaccrId="patientIdNumber">00000001</Item>
                <Tumor>\(tumorItems)</Tumor>
              </Patient>
            </NaaccrData>
            """.utf8)
    }

    static func firstTumor(_ bytes: [UInt8]) throws -> (NaaccrTumor, [NaaccrIssue]) {
        let reader = try NaaccrXMLReader(source: MemoryByteSource(bytes), name: "odd.xml")
        let patient = try #require(try reader.next())
        return (patient.tumors[0], patient.issues)
    }

    @Test func aUTF8ByteOrderMarkIsLegal() throws {
        let (tumor, issues) = try Self.firstTumor(Self.file("<Item naaccrId=\"primarySite\">C509</Item>", prefix: [0xEF, 0xBB, 0xBF]))
        #expect(tumor["primarySite"] == "C509" && issues.isEmpty)
    }

    @Test func entitiesInAnAttributeAreDecodedBeforeTheItemIsLookedUp() throws {
        let (tumor, issues) = try Self.firstTumor(Self.file("<Item naaccrId=\"primary&#83;ite\">C509</Item>"))
        #expect(tumor["primarySite"] == "C509" && issues.isEmpty)
    }

    @Test func lineEndsInsideValuesBecomeLineFeedsAsXMLRequires() throws {
        let (tumor, _) = try Self.firstTumor(Self.file("<Item naaccrId=\"textRemarks\">first\r\nsecond\rthird</Item>"))
        #expect(tumor["textRemarks"] == "first\nsecond\nthird")
    }

    @Test func anElementWithAnUndeclaredPrefixIsAnErrorNotSkipped() {
        do {
            _ = try Self.firstTumor(Self.file("<x:Item naaccrId=\"primarySite\">C509</x:Item>"))
            Issue.record("an element with an undeclared prefix was skipped silently")
        } catch let error as NaaccrReadError {
            #expect(error.message.contains("uses the prefix x, which no xmlns declares") && error.line == 4)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    static func readError(_ bytes: [UInt8]) -> NaaccrReadError? {
        do {
            let reader = try NaaccrXMLReader(source: MemoryByteSource(bytes), name: "odd.xml")
            while try reader.next() != nil {}
            return nil
        } catch let error as NaaccrReadError {
            return error
        } catch {
            return nil
        }
    }

    @Test func controlCharactersAreAnErrorNamingTheLineAndItem() throws {
        for value in ["Ab\u{0}c", "tab\tok but bell \u{7}", "&#0;"] {
            let error = try #require(Self.readError(Self.file("<Item naaccrId=\"textRemarks\">\(value)</Item>")), "\(value.debugDescription)")
            #expect(error.line == 4 && error.message.contains("item textRemarks (patient 1, tumor 1)") && error.message.contains("control character"))
        }
    }

    @Test func bytesThatAreNotUTF8AreAnErrorNotAReplacementCharacter() throws {
        var bytes = Self.file("<Item naaccrId=\"textRemarks\">JosQ</Item>")
        let mark = try #require(bytes.firstIndex(of: UInt8(ascii: "Q")))
        bytes[mark] = 0xE9  // é in windows-1252, invalid alone in UTF-8
        let error = try #require(Self.readError(bytes))
        #expect(error.message.contains("not UTF-8") && error.message.contains("textRemarks"))
    }

    @Test func aMalformedTimeGeneratedIsRefused() throws {
        let text = String(decoding: Self.file(""), as: UTF8.self).replacingOccurrences(of: "recordType=\"A\"", with: "recordType=\"A\" timeGenerated=\"yesterday\"")
        let error = try #require(Self.readError(Array(text.utf8)))
        #expect(error.message.contains("timeGenerated") && error.message.contains("xsd:dateTime"))
    }

    @Test func messagesNeverRepeatAHugeValue() throws {
        let huge = String(repeating: "x", count: 100_000)
        let (_, issues) = try Self.firstTumor(Self.file("<Item naaccrId=\"\(huge)\">1</Item>"))
        let issue = try #require(issues.first)
        #expect(issue.kind == .unknownItem && issue.description.count < 400)
    }

    static func declaring(_ encoding: String, value: [UInt8]) -> [UInt8] {
        var bytes = Array(String(decoding: Self.file("<Item naaccrId=\"textRemarks\">VALUE</Item>"), as: UTF8.self)
            .replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"\(encoding)\"").utf8)
        let mark = bytes.indices.first { Array(bytes[$0..<min($0 + 5, bytes.count)]) == Array("VALUE".utf8) }!
        bytes.replaceSubrange(mark..<mark + 5, with: value)
        return bytes
    }

    @Test func declaredSingleByteEncodingsAreTranscodedNotReplaced() throws {
        // José “quoted” in windows-1252: é = E9, “ = 93, ” = 94.
        let (tumor, _) = try Self.firstTumor(Self.declaring("windows-1252", value: [0x4A, 0x6F, 0x73, 0xE9, 0x20, 0x93, 0x71, 0x94]))
        #expect(tumor["textRemarks"] == "José “q”")
        let (latin1, _) = try Self.firstTumor(Self.declaring("ISO-8859-1", value: [0x4E, 0x75, 0xF1, 0x65, 0x7A]))
        #expect(latin1["textRemarks"] == "Nuñez")
    }

    @Test func encodingsThisReaderCannotReadAreRefusedClearly() throws {
        let ebcdic = try #require(Self.readError(Self.declaring("EBCDIC-US", value: Array("x".utf8))))
        #expect(ebcdic.message.contains("declares the encoding ebcdic-us") && ebcdic.message.contains("save it as UTF-8"))
        let utf16 = try #require(Self.readError([0xFF, 0xFE] + Array("<".utf8)))
        #expect(utf16.message.contains("UTF-16"))
    }

    @Test func aSmallCompressedFileThatInflatesToAHugeTokenIsRefusedInBoundedMemory() throws {
        // 80 MB of spaces in one run compress to well under a megabyte.
        let sink = MemoryByteSink()
        let gzip = try GzipByteSink(sink)
        let head = Array(String(decoding: Self.file(""), as: UTF8.self).replacingOccurrences(of: "<Tumor></Tumor>", with: "").utf8)
        let split = head.indices.first { Array(head[$0..<min($0 + 10, head.count)]) == Array("</Patient>".utf8) }!
        try head[..<split].withUnsafeBytes { try gzip.write($0) }
        let spaces = [UInt8](repeating: 32, count: 1 << 20)
        for _ in 0..<80 { try spaces.withUnsafeBytes { try gzip.write($0) } }
        try head[split...].withUnsafeBytes { try gzip.write($0) }
        try gzip.finish()
        #expect(sink.bytes.count < 1 << 20)
        let reader = try NaaccrXMLReader(source: try GzipByteSource(MemoryByteSource(sink.bytes), name: "bomb.xml.gz"), name: "bomb.xml.gz")
        do {
            while try reader.next() != nil {}
            Issue.record("an 80 MB run of text was read whole")
        } catch let error as NaaccrReadError {
            #expect(error.message.contains("longer than 64 MB"))
        }
    }

    @Test func surroundingSpacesAreAWarningAndTheValueIsKeptAsRead() throws {
        let (tumor, issues) = try Self.firstTumor(Self.file("<Item naaccrId=\"textRemarks\"> padded </Item>"))
        #expect(tumor["textRemarks"] == " padded ")
        #expect(issues.map(\.kind) == [.surroundingSpaces] && issues[0].kind.isWarning)
    }
}
