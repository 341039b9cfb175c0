import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import NAACCR
import Testing

/// A published NAACCR flat record layout (`../shared/reference/naaccr/flat-layouts/naaccr-NN-layout.xml`), read
/// with Foundation's XML parser: the independent source the reader's columns are checked against, and the test's
/// own writer of flat records.
final class PublishedLayout: NSObject, XMLParserDelegate {
    struct Field { let name: String; let number: Int?; let start: Int; let end: Int; let parent: String? }
    private(set) var fields: [Field] = []
    private(set) var length = 0
    private var stack: [String] = []

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/reference/naaccr/flat-layouts").standardized
    static var available: Bool { FileManager.default.fileExists(atPath: folder.appendingPathComponent("naaccr-18-layout.xml").path) }

    init(version: Int) throws {
        super.init()
        let parser = try #require(XMLParser(contentsOf: Self.folder.appendingPathComponent("naaccr-\(version)-layout.xml")))
        parser.delegate = self
        #expect(parser.parse())
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == "fixed-column-layout" { length = Int(attributes["length"]!)! }
        guard name == "field" else { return }
        fields.append(Field(name: attributes["name"]!, number: attributes["naaccr-item-num"].flatMap(Int.init),
                            start: Int(attributes["start"]!)!, end: Int(attributes["end"]!)!, parent: stack.last))
        stack.append(attributes["name"]!)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "field" { stack.removeLast() }
    }

    /// The items of the layout: a field's numbered sub-fields, else the field itself.
    var items: [Field] {
        fields.filter { field in
            if let parent = field.parent {
                return fields.filter { $0.parent == parent }.allSatisfy { $0.number != nil }
            }
            let parts = fields.filter { $0.parent == field.name }
            return parts.isEmpty || !parts.allSatisfy { $0.number != nil }
        }
    }

    /// A record of `length` characters with `values` (by naaccrId) placed as the layout says: left-aligned, blank-padded.
    func record(_ values: [String: String], length: Int? = nil) -> String {
        var characters = [Character](repeating: " ", count: length ?? self.length)
        for (id, value) in values {
            let field = items.first { $0.name == id }!
            precondition(value.count <= field.end - field.start + 1, "\(id) is wider than its field")
            for (offset, character) in value.enumerated() { characters[field.start - 1 + offset] = character }
        }
        return String(characters)
    }
}

@Suite("Flat (fixed-width) NAACCR files, versions 12 to 18", .enabled(if: PublishedLayout.available))
struct FlatFileTests {
    @Test(arguments: [(14, "140"), (15, "150"), (16, "160"), (18, "180")])
    func theDictionaryColumnsAreThePublishedLayout(_ version: Int, _ naaccrVersion: String) throws {
        let layout = try PublishedLayout(version: version)
        let dictionary = try #require(NaaccrDictionary.flatVersions.first { $0.naaccrVersion == naaccrVersion })
        for field in layout.items {
            let number = try #require(field.number, "\(field.name)")
            let item = try #require(dictionary.key(naaccrNum: number).map { dictionary.item($0) }, "v\(version): \(field.name) (\(number))")
            #expect(item.startColumn == field.start, "v\(version): \(field.name)")
            #expect(item.length == field.end - field.start + 1, "v\(version): \(field.name)")
        }
    }

    @Test(arguments: [(12, "122"), (13, "130")])
    func versions12And13AreReadWithTheirPublishedLayouts(_ version: Int, _ naaccrVersion: String) throws {
        let layout = try PublishedLayout(version: version)
        let dictionary = try #require(NaaccrDictionary.flatVersions.first { $0.naaccrVersion == naaccrVersion })
        // Past the layout's last field (20824) up to its record length (22824): Reserved 14, as in v14.
        let extra = dictionary.allItems.filter { item in !layout.items.contains { $0.number == item.naaccrNum } }
        #expect(extra.map(\.naaccrNum) == [2210] && extra[0].startColumn == 20825 && extra[0].length == 2000)
        for field in layout.items {
            let item = try #require(dictionary.key(naaccrNum: field.number!).map { dictionary.item($0) }, "\(field.name)")
            #expect(item.naaccrId == field.name && item.startColumn == field.start && item.length == field.end - field.start + 1)
        }
        // Level and type come from the v14 dictionary by item number.
        #expect(dictionary.item("patientIdNumber")?.level == .patient && dictionary.item("dateOfDiagnosis")?.dataType == .date)
    }

    static func read(_ text: String, name: String = "flat.txt") throws -> (NaaccrPatientReader, [NaaccrPatient]) {
        let reader = try NaaccrFile.open(source: MemoryByteSource(Array(text.utf8)), name: name)
        var patients: [NaaccrPatient] = []
        while let patient = try reader.next() { patients.append(patient) }
        return (reader, patients)
    }

    static let firstTumor: [String: String] = [
        "recordType": "A", "naaccrRecordVersion": "180", "registryId": "0000001234", "patientIdNumber": "00000042",
        "nameLast": "Núñez", "sex": "2", "dateOfBirth": "19500214", "primarySite": "C509", "histologicTypeIcdO3": "8500",
        "behaviorCodeIcdO3": "3", "dateOfDiagnosis": "20150312", "sequenceNumberCentral": "01", "tumorRecordNumber": "01",
        "vitalStatus": "1", "dateOfLastContact": "20200101",
    ]

    @Test func aVersion18FileRoundTripsThroughTheReaderAndTheConverter() throws {
        let layout = try PublishedLayout(version: 18)
        var second = Self.firstTumor
        second["primarySite"] = "C189"; second["histologicTypeIcdO3"] = "8140"; second["sequenceNumberCentral"] = "02"; second["tumorRecordNumber"] = "02"
        var other = Self.firstTumor
        other["patientIdNumber"] = "00000043"; other["sex"] = "1"
        let text = [Self.firstTumor, second, other].map { layout.record($0) }.joined(separator: "\r\n") + "\r\n"
        let (reader, patients) = try Self.read(text)
        #expect(reader.dictionary.naaccrVersion == "180" && reader.header.recordType == "A")
        #expect(patients.count == 2)
        #expect(patients[0].tumors.count == 2 && patients[1].tumors.count == 1)
        #expect(patients.flatMap(\.issues).isEmpty, "\(patients.flatMap(\.issues))")
        #expect(patients[0]["nameLast"] == "Núñez")
        #expect(patients[0].tumors[1]["primarySite"] == "C189")
        let registry = try #require(reader.dictionary.key("registryId"))
        #expect(reader.header.values[registry.index] == "0000001234")

        let converter = try NaaccrVersionConverter(from: reader.dictionary)
        let converted = converter.convert(patients[0])
        for (id, value) in Self.firstTumor where !["sex", "recordType", "naaccrRecordVersion", "registryId"].contains(id) {
            let item = try #require(NaaccrDictionary.v26.item(id), "\(id)")
            let actual = item.level == .patient ? converted[id] : converted.tumors[0][id]
            #expect(actual == value, "\(id)")
        }
        #expect(converted["sexAssignedAtBirth"] == "2")
    }

    @Test func aVersion12RecordIsReadByItsLayoutAndConvertedByItemNumber() throws {
        let layout = try PublishedLayout(version: 12)
        var values = Self.firstTumor
        values["naaccrRecordVersion"] = "122"
        values["nameLast"] = "Smith"
        let (reader, patients) = try Self.read(layout.record(values) + "\n")
        #expect(reader.dictionary.naaccrVersion == "122")
        let converted = try NaaccrVersionConverter(from: reader.dictionary).convert(try #require(patients.first))
        #expect(converted.tumors[0]["primarySite"] == "C509" && converted.tumors[0]["dateOfDiagnosis"] == "20150312")
        #expect(converted["sexAssignedAtBirth"] == "2" && converted["dateOfBirth"] == "19500214")
    }

    @Test func anIncidenceRecordIsAsLongAsTheLastIncidenceItem() throws {
        let layout = try PublishedLayout(version: 18)
        var values = Self.firstTumor
        values["recordType"] = "I"
        values["nameLast"] = nil
        let (reader, patients) = try Self.read(layout.record(values, length: 4048))
        #expect((reader as? NaaccrFlatReader)?.recordLength == 4048)
        #expect(patients.first?.tumors.first?["primarySite"] == "C509")
    }

    @Test func aLineOfTheWrongLengthStopsReadingWithItsLine() throws {
        let layout = try PublishedLayout(version: 18)
        let text = layout.record(Self.firstTumor) + "\n" + String(layout.record(Self.firstTumor).dropLast(10)) + "\n"
        #expect { _ = try Self.read(text) } throws: { error in
            "\(error)" == "flat.txt: line 2: the line is 24184 characters; a NAACCR v180 record of type A is 24194 (Invalid line length)"
        }
    }

    @Test func aControlCharacterNamesTheLineColumnAndItem() throws {
        let layout = try PublishedLayout(version: 18)
        let dx = try #require(layout.items.first { $0.name == "dateOfDiagnosis" })
        var characters = Array(layout.record(Self.firstTumor))
        characters[dx.start - 1] = "\u{0}"
        #expect { _ = try Self.read(String(characters)) } throws: { error in
            "\(error)" == "flat.txt: line 1: column \(dx.start) (item dateOfDiagnosis, columns \(dx.start)-\(dx.end)): a control character, which NAACCR data may not hold"
        }
    }

    @Test func aVersionWithoutAFlatLayoutIsRefusedWithTheReason() throws {
        let layout = try PublishedLayout(version: 18)
        var values = Self.firstTumor
        values["naaccrRecordVersion"] = "210"
        #expect { _ = try Self.read(layout.record(values)) } throws: { error in
            "\(error)".contains("line 1: columns 17-19 (NAACCR Record Version, item 50) hold \"210\": flat files of versions 12 to 18")
        }
    }

    @Test func badValuesAreKeptAndReportedWithTheirColumns() throws {
        let layout = try PublishedLayout(version: 18)
        var values = Self.firstTumor
        values["dateOfDiagnosis"] = "20151332"
        let dx = try #require(layout.items.first { $0.name == "dateOfDiagnosis" })
        let (_, patients) = try Self.read(layout.record(values))
        let issue = try #require(patients.first?.issues.first)
        #expect(issue.kind == .impossibleDate && issue.naaccrId == "dateOfDiagnosis" && issue.tumorIndex == 1)
        #expect(issue.detail.hasPrefix("columns \(dx.start)-\(dx.end):"))
        #expect(patients.first?.tumors.first?["dateOfDiagnosis"] == "20151332")
    }

    @Test func tumorsOfOnePatientThatDisagreeOnPatientItemsAreReported() throws {
        let layout = try PublishedLayout(version: 18)
        var second = Self.firstTumor
        second["dateOfBirth"] = "19510214"; second["tumorRecordNumber"] = "02"
        let (_, patients) = try Self.read(layout.record(Self.firstTumor) + "\n" + layout.record(second))
        #expect(patients.count == 1 && patients[0]["dateOfBirth"] == "19500214")
        #expect(patients[0].issues.map(\.naaccrId) == ["dateOfBirth"] && patients[0].issues[0].kind == .tumorsDisagree
                && patients[0].issues[0].line == 2)
    }

    @Test func aGzipFlatFileIsRecognisedByItsContent() throws {
        let layout = try PublishedLayout(version: 18)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flat-\(UUID().uuidString).dat").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sink = try GzipByteSink(try FileByteSink(path: path))
        try Array((layout.record(Self.firstTumor) + "\n").utf8).withUnsafeBytes { try sink.write($0) }
        try sink.finish()
        let reader = try NaaccrFile.open(path: path)
        #expect(reader is NaaccrFlatReader && reader.dictionary.naaccrVersion == "180")
        #expect(try reader.next()?.tumors.first?["primarySite"] == "C509")
        #expect(try reader.next() == nil)
    }

    @Test func aLatin1LineIsReadByCharacters() throws {
        let layout = try PublishedLayout(version: 18)
        // "Núñez" in ISO-8859-1: one byte per character, so the columns still line up.
        let record = layout.record(Self.firstTumor)
        var bytes: [UInt8] = []
        for scalar in record.unicodeScalars { bytes.append(UInt8(scalar.value)) }
        let reader = try NaaccrFile.open(source: MemoryByteSource(bytes), name: "latin1.txt")
        let patient = try #require(try reader.next())
        #expect(patient["nameLast"] == "Núñez" && patient.tumors[0]["primarySite"] == "C509")
    }
}
