import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NAACCR
import RegistryService
import SyntheticRegistry
import Testing

/// The receiving side over HTTP (issue #14): a facility's file received once, checked with the incoming edits,
/// listed, and its rejection report as CSV for people and as NAACCR XML for the facility (identifier roles only).
@Suite("Intake API: files received from facilities", .serialized)
struct IntakeAPITests {
    /// Thirty synthetic patients (complete abstracts that pass the state set) with one primary site made invalid
    /// (C99X: not an ICD-O-3 topography code, so the site's code-list edit fails).
    static func facilityFile() throws -> (xml: String, broken: String) {
        let generator = SyntheticRegistryGenerator(patientCount: 30, seed: 91, firstPatientNumber: 7001)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("intake-\(UUID().uuidString).xml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try NaaccrXMLWriter(sink: try FileByteSink(path: path), dictionary: generator.dictionary, header: generator.header())
        var broken: String?
        for var patient in generator {
            if broken == nil, patient.tumors[0]["behaviorCodeIcdO3"] == "3" {
                patient.tumors[0][generator.dictionary.key("primarySite")!] = "C99X"
                broken = patient["patientIdNumber"]
            }
            try writer.write(patient)
        }
        try writer.finish()
        return (try String(contentsOfFile: path, encoding: .utf8), broken!)
    }

    @Test func aFacilityFileIsReceivedOnceCheckedAndItsRejectionsReported() async throws {
        let (xml, broken) = try Self.facilityFile()
        try await ServiceHarness.with { h in
            try await h.test { client in
                let registrar = try await client.signIn("registrar")
                var headers = registrar.bearer
                headers[.contentType] = "application/xml"
                let received = try await client.execute(uri: "/api/intake?facility=FAC7&filename=fac7.xml", method: .post, headers: headers,
                                                        body: ByteBuffer(string: xml))
                #expect(received.status == .created)
                let record = try received.json()
                let id = try #require(record["id"] as? Int)
                #expect(record["facility"] as? String == "FAC7" && record["fileName"] as? String == "fac7.xml")
                let tumors = try #require(record["tumorsRead"] as? Int)
                #expect(tumors >= 30 && record["tumorsNew"] as? Int == tumors && record["tumorsFailing"] as? Int == 1)
                #expect((record["failingByEdit"] as? [String: Int])?.values.allSatisfy { $0 == 1 } == true)

                // The same bytes again: 409 naming the earlier intake, nothing imported; forced, received again (unchanged).
                let again = try await client.execute(uri: "/api/intake?facility=FAC7", method: .post, headers: headers, body: ByteBuffer(string: xml))
                #expect(again.status == .conflict)
                #expect(try (again.json()["error"] as? [String: Any])?["code"] as? String == "already_received")
                let forced = try await client.execute(uri: "/api/intake?facility=FAC7&force=true", method: .post, headers: headers, body: ByteBuffer(string: xml))
                #expect(forced.status == .created)
                #expect(try forced.json()["tumorsUnchanged"] as? Int == tumors)
                #expect(try await h.query("SELECT count(*)::int FROM intake")[0].decode(Int.self, at: 0) == 2)

                // Listed (by facility), shown with its rejections, and the report as CSV and as NAACCR XML.
                let list = try await client.json("/api/intake?facility=FAC7", headers: registrar.bearer).jsonArray()
                #expect(list.count == 2)
                #expect(try await client.json("/api/intake?facility=OTHER", headers: registrar.bearer).jsonArray().isEmpty)
                let detail = try await client.json("/api/intake/\(id)", headers: registrar.bearer).json()
                let rejections = try #require(detail["rejections"] as? [[String: Any]])
                #expect(rejections.count == 1 && rejections[0]["patientIdNumber"] as? String == broken)
                let csv = try await client.json("/api/intake/\(id)/rejections?format=csv", headers: registrar.bearer)
                #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
                let lines = String(buffer: csv.body).split(separator: "\r\n")
                #expect(lines.first == "patientIdNumber,tumorKey,edit,message" && lines.count >= 2 && lines.dropFirst().allSatisfy { $0.hasPrefix(broken + ",") })
                let back = try await client.json("/api/intake/\(id)/rejections?format=xml", headers: registrar.bearer)
                #expect(back.status == .ok)
                let text = String(buffer: back.body)
                #expect(text.contains("recordType=\"A\"") && text.contains(">\(broken)<") && text.contains(">C99X<"))
                #expect(text.components(separatedBy: "<Patient").count == 2)

                // A submitter receives files and reads the CSV, not the records themselves; a reviewer does neither.
                let submitter = try await client.signIn("submitter")
                #expect(try await client.json("/api/intake/\(id)/rejections?format=csv", headers: submitter.bearer).status == .ok)
                #expect(try await client.json("/api/intake/\(id)/rejections?format=xml", headers: submitter.bearer).status == .forbidden)
                let reviewer = try await client.signIn("reviewer")
                #expect(try await client.json("/api/intake", headers: reviewer.bearer).status == .forbidden)

                // Bad requests are named: no facility, a bad facility, an unknown intake, an unknown format.
                #expect(try await client.execute(uri: "/api/intake", method: .post, headers: headers, body: ByteBuffer(string: xml)).status == .badRequest)
                let bad = try await client.execute(uri: "/api/intake?facility=a%20b", method: .post, headers: headers, body: ByteBuffer(string: xml))
                let badItems = try (bad.json()["error"] as? [String: Any])?["items"] as? [String]
                #expect(bad.status == .badRequest && badItems == ["facility"])
                #expect(try await client.json("/api/intake/999999", headers: registrar.bearer).status == .notFound)
                #expect(try await client.json("/api/intake/\(id)/rejections?format=pdf", headers: registrar.bearer).status == .badRequest)
                #expect(try await client.json("/api/intake?facility=FAC7&force=maybe", .post, headers: headers).status == .badRequest)

                // The page lists both files with the report's links.
                let page = try await client.json("/intake", headers: [.cookie: registrar.cookie])
                let html = String(buffer: page.body)
                #expect(page.status == .ok && html.contains("fac7.xml") && html.contains("/api/intake/\(id)/rejections?format=xml"))
            }
        }
    }
}
