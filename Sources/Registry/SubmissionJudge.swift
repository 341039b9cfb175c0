import Crypto
import Edits
import Foundation
import NAACCR
import RegistryStore

/// What one patient brings to a submission, worked out on a worker thread: the counts, the ledger rows of the tumors
/// it sends and holds back, and its `<Patient>` element already encoded for each file.
struct JudgedPatient: Sendable {
    var notEligible = 0, inProgress = 0, unchanged = 0
    var new = 0, changed = 0, resent = 0
    /// The data-quality counts of its eligible tumors (dry runs).
    var quality = SubmissionQuality()
    var held: [SubmissionTumorRow] = []
    /// The failing edits of each held tumor (ids, sorted, once each).
    var heldEdits: [[String]] = []
    var sent: [SubmissionTumorRow] = []
    var sentChanged: [SubmissionTumorRow] = []
    /// The main file's `<Patient>` (its sent tumors), encoded; empty when it sends none there.
    var encoded: [UInt8] = []
    /// For a de-identified extract: the patient with its sent tumors, de-identified and encoded on the writer's thread
    /// (the study numbers follow the file's order).
    var outgoing: NaaccrPatient?
    var tumorsOut = 0
    /// The changed-records file's `<Patient>` (its changed tumors), encoded; empty when none.
    var encodedChanged: [UInt8] = []
    var tumorsChanged = 0
}

/// Judges the patients of a submission one at a time, on any thread: eligibility (the destination's cases),
/// content hash against what the destination last accepted (new, changed, resent, unchanged), the destination's
/// edits (errors not over-ridden hold a tumor back), Date Case Report Exported (2110) set on every sent tumor, and
/// the NAACCR XML of the patient for the file (and for the changed-records file when the destination has one).
struct SubmissionJudge: Sendable {
    let destination: Destination
    let keys: SubmissionKeys
    let dryRun: Bool
    /// Date Case Report Exported (YYYYMMDD).
    let exported: String
    /// The newest diagnosis year, for destinations that take it whole every time.
    let newestYear: Int?
    let encoder: NaaccrXMLPatientEncoder
    let changedEncoder: NaaccrXMLPatientEncoder?

    func judge(_ rows: SubmissionPatientRows, engine: EditEngine) -> Result<JudgedPatient, Error> {
        Result { try judge(rows, patient: try rows.patient(dictionary: keys.dictionary), engine: engine) }
    }

    func judge(_ rows: SubmissionPatientRows, patient: NaaccrPatient, engine: EditEngine) throws -> JudgedPatient {
        var judged = JudgedPatient()
        let candidates = rows.candidates
        var outgoing: [(index: Int, change: String, hash: String)] = []
        var eligibleIndices: [Int] = []
        // The patient's part of every tumor's content hash, once.
        let patientBytes = Registry.contentBytes(patient.values, .patient, keys: keys)
        for (index, tumor) in patient.tumors.enumerated() {
            let year = tumor[keys.diagnosisDate].flatMap { Int($0.prefix(4)) }
            guard destination.cases.takes(behavior: tumor[keys.behavior], site: tumor[keys.site],
                                          classOfCase: tumor[keys.classOfCase], diagnosisYear: year) else {
                judged.notEligible += 1
                continue
            }
            let candidate = candidates[index]
            guard candidate.status != "incomplete" else {
                judged.inProgress += 1
                continue
            }
            eligibleIndices.append(index)
            let hash = Registry.contentHash(patientBytes: patientBytes, tumor: tumor, keys: keys)
            if candidate.acceptedHash == nil { outgoing.append((index, "new", hash)) }
            else if candidate.acceptedHash != hash { outgoing.append((index, "changed", hash)) }
            else if let newestYear, year == newestYear { outgoing.append((index, "resent", hash)) }
            else { judged.unchanged += 1 }
        }
        // A dry run judges every eligible tumor (the quality figures); a submission only those it sends.
        guard !outgoing.isEmpty || (dryRun && !eligibleIndices.isEmpty) else { return judged }
        // The destination's edits on the whole patient (inter-record edits see every tumor).
        let failures = engine.check(patient).filter { $0.severity.blocks && !$0.overridden }
        if dryRun {
            for index in eligibleIndices {
                let tumor = patient.tumors[index]
                judged.quality.tumors += 1
                if tumor[keys.reportingSource] == "7" { judged.quality.deathCertificateOnly += 1 }
                if (tumor[keys.age] ?? "999") == "999" { judged.quality.unknownAge += 1 }
                if (patient[keys.sex] ?? "9") == "9" { judged.quality.unknownSex += 1 }
                if (patient[keys.race1] ?? "99") == "99" { judged.quality.unknownRace += 1 }
                if (tumor[keys.county] ?? "999") == "999" { judged.quality.unknownCounty += 1 }
                if !failures.contains(where: { $0.tumorIndex == index }) { judged.quality.passingEdits += 1 }
            }
        }
        var out = patient
        out.tumors = []
        var outChanged = patient
        outChanged.tumors = []
        for entry in outgoing {
            let failing = failures.filter { $0.tumorIndex == entry.index }
            let candidate = candidates[entry.index]
            if !failing.isEmpty {
                judged.heldEdits.append(Array(Set(failing.map(\.editId))).sorted())
                let detail = failing.map { ["edit": $0.editId, "message": $0.message] }
                judged.held.append(SubmissionTumorRow(tumorId: candidate.tumorId, patientIdNumber: rows.patientIdNumber, tumorKey: candidate.tumorKey,
                                                      failures: String(decoding: try JSONEncoder().encode(detail), as: UTF8.self)))
                continue
            }
            switch entry.change {
            case "new": judged.new += 1
            case "changed": judged.changed += 1
            default: judged.resent += 1
            }
            var tumor = patient.tumors[entry.index]
            tumor[keys.reportExported] = exported
            let row = SubmissionTumorRow(tumorId: candidate.tumorId, patientIdNumber: rows.patientIdNumber, tumorKey: candidate.tumorKey,
                                         contentHash: entry.hash, change: entry.change)
            if entry.change == "changed", destination.changedRecordType != nil {
                outChanged.tumors.append(tumor)
                judged.sentChanged.append(row)
            } else {
                out.tumors.append(tumor)
                judged.sent.append(row)
            }
        }
        judged.tumorsChanged = outChanged.tumors.count
        if !outChanged.tumors.isEmpty, !dryRun, let changedEncoder { changedEncoder.append(outChanged, to: &judged.encodedChanged) }
        judged.tumorsOut = out.tumors.count
        if !out.tumors.isEmpty {
            if destination.deidentify != nil { judged.outgoing = out } else if !dryRun { encoder.append(out, to: &judged.encoded) }
        }
        return judged
    }
}
