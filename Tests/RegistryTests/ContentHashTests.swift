import Foundation
import NAACCR
@testable import Registry
import TestSupport
import Testing

/// The content hash the submission ledger compares across submissions (and across versions of this software: a
/// change of its bytes would make every accepted tumor look changed). Pinned to the documented byte stream, hashed
/// here independently: `naaccrId=value` LF per patient item, 0x1E, the same per tumor item, in dictionary order,
/// Date Case Report Exported (2110) left out.
@Suite("Submission content hash")
struct ContentHashTests {
    @Test func theHashIsOfTheDocumentedBytes() {
        let d = NaaccrDictionary.v26
        var patient = NaaccrPatient(dictionary: d)
        patient[d.key("patientIdNumber")!] = "00000001"
        patient[d.key("nameLast")!] = "Núñez"
        var tumor = NaaccrTumor(dictionary: d)
        tumor[d.key("primarySite")!] = "C504"
        tumor[d.key("laterality")!] = "1"
        tumor[d.key("dateCaseReportExported")!] = "20261124"
        patient.tumors = [tumor, tumor]
        let expected = SHA256Hex.of(Data("patientIdNumber=00000001\nnameLast=Núñez\n\u{1e}primarySite=C504\nlaterality=1\n".utf8))
        let keys = SubmissionKeys(d)
        #expect(Registry.contentHash(patient, tumor: 1, keys: keys) == expected)
        let bytes = Registry.contentBytes(patient.values, .patient, keys: keys)
        #expect(Registry.contentHash(patientBytes: bytes, tumor: tumor, keys: keys) == expected)
    }
}
