import Crypto
import Dispatch
import Edits
import Foundation
import NAACCR
import Postgres
import RegistryStore

/// What a submission did (or, for a dry run, would do).
public struct SubmissionSummary: Sendable, Codable {
    public var id: Int?
    public var destination: String
    public var editSet: String
    public var fileName: String?
    public var sha256: String?
    public var dryRun: Bool
    public var patients = 0
    /// Eligible tumors never accepted by the destination, changed since it last accepted them, sent again in full
    /// (the newest diagnosis year, for destinations that take it whole), and unchanged (not sent).
    public var tumorsNew = 0, tumorsChanged = 0, tumorsResent = 0, tumorsUnchanged = 0
    /// Eligible tumors held back by the destination's edits, and the edits that held them (tumors per edit).
    public var tumorsHeld = 0
    public var heldByEdit: [String: Int] = [:]
    /// The first held tumors (at most 500): tumor id and the failing edits' ids, to open the abstracts from a preview.
    public var heldTumors: [HeldTumor] = []

    public struct HeldTumor: Sendable, Codable, Equatable {
        public let tumorId: Int
        public let edits: [String]
    }
    /// Tumors the store holds that the destination does not take.
    public var tumorsNotEligible = 0
    /// Abstracts still in progress (status incomplete): sent once marked complete.
    public var tumorsInProgress = 0
    /// The file was refused: more than the destination's share of eligible tumors failed its edits.
    public var refused = false
    public var maxHeldPercent: Double
    /// Earlier submissions to the destination not yet marked accepted (their tumors are sent again until one is).
    public var pending: [Int] = []
    /// Tumors sent to the destination earlier and since deleted from the store (the deletion report).
    public var deletedSinceSent = 0
    /// For de-identified extracts: cells of the site-by-sex counts under 16 (small counts to suppress when published).
    public var smallCells = 0

    /// Only patients changed since this time were read (a submission after an accepted one); the counts of unchanged
    /// and not eligible tumors are then of those read.
    public var readChangedSince: Date?
    /// The data-quality figures of every eligible tumor (dry runs), against NPCR's standards.
    public var quality: SubmissionQuality?

    /// For a destination that takes changed records as a record type of their own (M): the second file, which holds
    /// the changed tumors (nil when none changed, and on a dry run).
    public var changedRecords: ChangedRecordsFile?

    public struct ChangedRecordsFile: Sendable, Codable, Equatable {
        /// The file's submission row (nil on a dry run).
        public let id: Int?
        public let recordType: String
        public var fileName: String?
        public var sha256: String?
        public var patients = 0
        public var tumors = 0
    }

    public var tumorsSent: Int { tumorsNew + tumorsChanged + tumorsResent }
}

/// Before-submission data-quality figures over the tumors a destination takes, as NPCR judges a submission (NPCR
/// Program Standards, data quality criteria): death certificate only cases (Type of Reporting Source 7) at most 3%;
/// unknown age (Age at Diagnosis 999), sex (Sex Assigned at Birth 9), race (Race 1 99) and county (County at DX 999)
/// at most 2%, 2%, 3% and 2%; at least 99% of records passing the destination's edits.
public struct SubmissionQuality: Sendable, Codable, Equatable {
    public var tumors = 0
    public var deathCertificateOnly = 0
    public var unknownAge = 0, unknownSex = 0, unknownRace = 0, unknownCounty = 0
    public var passingEdits = 0

    /// Adds another set of tumors' counts.
    mutating func add(_ other: SubmissionQuality) {
        tumors += other.tumors
        deathCertificateOnly += other.deathCertificateOnly
        unknownAge += other.unknownAge; unknownSex += other.unknownSex; unknownRace += other.unknownRace; unknownCounty += other.unknownCounty
        passingEdits += other.passingEdits
    }

    public struct Figure: Sendable, Codable, Equatable {
        public let name: String
        public let percent: Double
        /// The NPCR standard, and whether the figure meets it.
        public let standard: String
        public let meets: Bool
    }

    public var figures: [Figure] {
        func percent(_ n: Int) -> Double { tumors == 0 ? 0 : Double(n) * 100 / Double(tumors) }
        func most(_ name: String, _ n: Int, _ limit: Double) -> Figure {
            Figure(name: name, percent: percent(n), standard: "≤ \(limit.formatted())%", meets: percent(n) <= limit)
        }
        return [most("death certificate only", deathCertificateOnly, 3), most("unknown age", unknownAge, 2), most("unknown sex", unknownSex, 2),
                most("unknown race", unknownRace, 3), most("unknown county", unknownCounty, 2),
                Figure(name: "passing the edits", percent: percent(passingEdits), standard: "≥ 99%", meets: percent(passingEdits) >= 99)]
    }
}

public enum SubmissionError: Error, CustomStringConvertible {
    case refused(SubmissionSummary)
    case noSuchSubmission(Int)
    case badStatus(String)
    case checksumMismatch(Int)

    public var description: String {
        switch self {
        case .refused(let s):
            return "the \(s.destination) file is refused: \(s.tumorsHeld) of \(s.tumorsHeld + s.tumorsSent) eligible tumors fail the \(s.editSet) edits "
                + "(more than \(s.maxHeldPercent)%); nothing was recorded. Correct them (registry submit --to \(s.destination) --dry-run lists them) and submit again"
        case .noSuchSubmission(let id): return "no submission \(id)"
        case .badStatus(let s): return "a submission is marked sent, accepted or rejected, not \(s.prefix(20))"
        case .checksumMismatch(let id): return "submission \(id): the stored file does not match its recorded SHA-256"
        }
    }
}

/// Submissions to destinations: eligibility, the destination's edits as the gate, change tracking against what the
/// destination last accepted, the NAACCR file, and the ledger that records it (issue #14).
extension Registry {
    /// Items a research extract never carries (direct identifiers, HIPAA 45 CFR 164.514(b)(2)): names, Social Security
    /// number, medical record number, street addresses, telephone, and every text field (free text can name people).
    static let directIdentifiers: Set<String> = [
        "nameLast", "nameFirst", "nameMiddle", "namePrefix", "nameSuffix", "nameAlias", "nameMaiden", "nameSpouseParent",
        "nameBirthSurname", "socialSecurityNumber", "medicalRecordNumber", "addrAtDxNoStreet", "addrAtDxSupplementl",
        "addrCurrentNoStreet", "addrCurrentSupplementl", "telephone", "followUpContactName", "followUpContactNoSt",
        "followUpContactSuppl", "followUpContactPostal", "followUpContactCity", "followUpContactState", "physicianFollowUp",
        "physicianManaging", "physicianPrimarySurg", "physician3", "physician4", "emergencyContactName", "addrAtDxCity", "addrCurrentCity",
        "censusBlockGroup2000", "censusBlockGroup2010", "censusBlockGroup2020", "censusTractCode2020", "latitude", "longitude",
    ]

    /// Generates a submission for a destination: reads every tumor of the registry from one snapshot, keeps those the
    /// destination takes, sends the new and changed ones (changed: their content's SHA-256 differs from the one the
    /// destination last accepted), holds back those failing the destination's edit set (errors not over-ridden), and
    /// refuses the whole file when more than the destination's share fails. The file (NAACCR XML v26, `.gz` when the
    /// name says so) is written to `directory`; the ledger rows, the file's bytes and the audit row commit together.
    /// Every sent tumor carries Date Case Report Exported (item 2110) = `today`. A dry run writes and records nothing.
    /// A destination with `changedRecordType` (the state's M records) gets the changed tumors in a second file of that
    /// record type, a submission row of its own marked together with the first.
    public func submit(to destination: Destination, dryRun: Bool, directory: String, today: Date = Date(),
                       by actor: ActingUser) async throws -> SubmissionSummary {
        let set = editSets.first { $0.name == destination.editSet } ?? .stateSubmission
        let initial = SubmissionSummary(destination: destination.name, editSet: set.name, dryRun: dryRun, maxHeldPercent: destination.maxHeldPercent)
        let dictionary = NaaccrDictionary.v26
        let exported = Self.naaccrDate(today)
        do {
            return try await pool.withConnection { db in
                try db.transaction { tx in
                    var summary = initial
                    try tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    let ledger = SubmissionLedger(connection: tx)
                    let registryId = try NaaccrExporter(connection: tx).registryId(for: ExportSelection())
                    summary.pending = try ledger.list(destination: destination.name).filter { $0.status == "generated" || $0.status == "sent" }.map(\.id)
                    summary.deletedSinceSent = try ledger.deletions(destination: destination.name).count
                    let newestYear = destination.newestYearInFull == true ? try ledger.newestDiagnosisYear() : nil
                    // A submission after an accepted one reads only patients changed since that one's snapshot (the
                    // earliest start of the transactions then open), and the newest year when taken whole; a dry run
                    // reads everything (its quality figures cover every eligible tumor).
                    let since = dryRun ? nil : try ledger.lastAcceptedAt(destination: destination.name)
                    summary.readChangedSince = since
                    // A submission row and its file (NAACCR XML of the record type, named by the destination's pattern).
                    func begin(recordType: String, companionOf: Int? = nil) throws -> (output: SubmissionOutput, name: String) {
                        let id = try ledger.begin(destination: destination.name, recordType: recordType, naaccrVersion: dictionary.naaccrVersion,
                                                  editSet: set.name, actor: actor, companionOf: companionOf)
                        let name = Self.fileName(destination.fileName, registry: registryId, destination: destination.name, date: exported, id: id)
                        var header = NaaccrHeader(baseDictionaryUri: dictionary.uri, recordType: recordType)
                        header.values[dictionary.key("registryId")!.index] = registryId
                        header.values[dictionary.key("recordType")!.index] = recordType
                        let output = try SubmissionOutput(path: (directory as NSString).appendingPathComponent(name), ledger: ledger, submission: id,
                                                          dictionary: dictionary, header: header, timeGenerated: today,
                                                          compressionLevel: destination.compressionLevel)
                        return (output, name)
                    }
                    var output: SubmissionOutput?
                    // The file of changed records (record type M), begun when the first changed tumor is written.
                    var changedOutput: SubmissionOutput?
                    var sentChanged: [SubmissionTumorRow] = []
                    if !dryRun {
                        let (made, name) = try begin(recordType: destination.recordType)
                        output = made
                        summary.id = made.submission
                        summary.fileName = name
                    }
                    let checker = StreamingEditChecker(engine: EditEngine(set: set, library: editLibrary))
                    let keys = SubmissionKeys(dictionary)
                    let judge = SubmissionJudge(destination: destination, keys: keys, dryRun: dryRun, exported: exported, newestYear: newestYear,
                                                encoder: NaaccrXMLPatientEncoder(dictionary: dictionary, recordType: destination.recordType),
                                                changedEncoder: destination.changedRecordType.map { NaaccrXMLPatientEncoder(dictionary: dictionary, recordType: $0) })
                    var sent: [SubmissionTumorRow] = [], held: [SubmissionTumorRow] = []
                    var studyNumber = 0
                    var counts: [String: Int] = [:]
                    // Patients are judged in batches on every core (items read, hashed, edited, encoded as XML) while
                    // this thread reads the next batch and writes the one before, in the order they were read.
                    var pending: [SubmissionPatientRows] = []
                    var inFlight: StreamingEditChecker.Running<Result<JudgedPatient, Error>>?
                    func process() throws {
                        let previous = inFlight
                        inFlight = nil
                        let previousResults = previous?.wait()
                        if !pending.isEmpty {
                            inFlight = checker.start(pending) { engine, rows in judge.judge(rows, engine: engine) }
                            pending = []
                            pending.reserveCapacity(1_000)
                        }
                        if let previousResults { try write(previousResults) }
                    }
                    func write(_ batch: [Result<JudgedPatient, Error>]) throws {
                        for result in batch {
                            let judged = try result.get()
                            summary.tumorsNotEligible += judged.notEligible
                            summary.tumorsInProgress += judged.inProgress
                            summary.tumorsUnchanged += judged.unchanged
                            summary.tumorsNew += judged.new
                            summary.tumorsChanged += judged.changed
                            summary.tumorsResent += judged.resent
                            if dryRun, judged.quality.tumors > 0 {
                                var q = summary.quality ?? SubmissionQuality()
                                q.add(judged.quality)
                                summary.quality = q
                            }
                            summary.tumorsHeld += judged.held.count
                            for (row, edits) in zip(judged.held, judged.heldEdits) {
                                for edit in edits { summary.heldByEdit[edit, default: 0] += 1 }
                                if summary.heldTumors.count < 500 { summary.heldTumors.append(.init(tumorId: row.tumorId, edits: edits)) }
                            }
                            held.append(contentsOf: judged.held)
                            if judged.tumorsChanged > 0, let recordType = destination.changedRecordType {
                                if let output {
                                    let changedFile: SubmissionOutput
                                    if let existing = changedOutput { changedFile = existing } else {
                                        let (made, name) = try begin(recordType: recordType, companionOf: output.submission)
                                        changedOutput = made
                                        changedFile = made
                                        summary.changedRecords = .init(id: made.submission, recordType: recordType, fileName: name)
                                    }
                                    try changedFile.writer.write(encoded: judged.encodedChanged, patients: 1)
                                    sentChanged.append(contentsOf: judged.sentChanged)
                                    if sentChanged.count >= ledger.batchSize { try ledger.record(sent: sentChanged, submission: changedFile.submission); sentChanged = [] }
                                } else if summary.changedRecords == nil {
                                    // A dry run counts what the file of changed records would hold and records nothing.
                                    summary.changedRecords = .init(id: nil, recordType: recordType, fileName: nil)
                                }
                                summary.changedRecords?.patients += 1
                                summary.changedRecords?.tumors += judged.tumorsChanged
                            }
                            if judged.tumorsOut > 0 {
                                summary.patients += 1
                                if let rule = destination.deidentify, var out = judged.outgoing {
                                    studyNumber += 1
                                    Self.deidentify(&out, rule: rule, studyNumber: studyNumber, keys: keys)
                                    for tumor in out.tumors {
                                        counts["\(tumor[keys.site]?.prefix(3) ?? "C80")|\(out[keys.sex] ?? "9")", default: 0] += 1
                                    }
                                    try output?.writer.write(out)
                                } else {
                                    try output?.writer.write(encoded: judged.encoded, patients: 1)
                                }
                                sent.append(contentsOf: judged.sent)
                            }
                            if let output {
                                if sent.count >= ledger.batchSize { try ledger.record(sent: sent, submission: output.submission); sent = [] }
                                if held.count >= ledger.batchSize { try ledger.record(held: held, submission: output.submission); held = [] }
                            } else {
                                sent = []
                                held = []
                            }
                        }
                    }
                    try ledger.forEachPatient(registryId: registryId, destination: destination.name, changedSince: since, year: newestYear) { rows in
                        pending.append(rows)
                        if pending.count >= 1_000 { try process() }
                    }
                    try process()  // the last batch goes to be judged, the one before is written
                    try process()  // the last batch is written
                    summary.smallCells = counts.values.filter { $0 < 16 }.count
                    let eligible = summary.tumorsSent + summary.tumorsHeld
                    if eligible > 0, Double(summary.tumorsHeld) * 100 > destination.maxHeldPercent * Double(eligible) {
                        summary.refused = true
                        // A dry run says the file would be refused; a submission is refused.
                        guard let output else { return summary }
                        output.discard()
                        changedOutput?.discard()
                        throw SubmissionError.refused(summary)
                    }
                    guard let output else { return summary }
                    try ledger.record(sent: sent, submission: output.submission)
                    try ledger.record(held: held, submission: output.submission)
                    summary.sha256 = try output.finish()
                    try ledger.finish(submission: output.submission, fileName: summary.fileName!, sha256: summary.sha256!, patients: summary.patients,
                                      new: summary.tumorsNew, changed: summary.tumorsChanged + summary.tumorsResent - (summary.changedRecords?.tumors ?? 0),
                                      unchanged: summary.tumorsUnchanged, held: summary.tumorsHeld, heldByEdit: summary.heldByEdit)
                    try AuditTrail.record(tx, actor, .submit, entity: "submission", id: output.submission, detail: [
                        "destination": destination.name, "file": summary.fileName!, "sha256": summary.sha256!, "tumorsSent": String(summary.tumorsSent),
                        "tumorsHeld": String(summary.tumorsHeld), "editSet": set.name,
                    ])
                    if let changedOutput, var changed = summary.changedRecords {
                        try ledger.record(sent: sentChanged, submission: changedOutput.submission)
                        changed.sha256 = try changedOutput.finish()
                        try ledger.finish(submission: changedOutput.submission, fileName: changed.fileName ?? "", sha256: changed.sha256!, patients: changed.patients,
                                          new: 0, changed: changed.tumors, unchanged: 0, held: 0, heldByEdit: [:])
                        try AuditTrail.record(tx, actor, .submit, entity: "submission", id: changedOutput.submission, detail: [
                            "destination": destination.name, "file": changed.fileName ?? "", "sha256": changed.sha256!, "tumorsSent": String(changed.tumors),
                            "recordType": changed.recordType, "companionOf": String(output.submission),
                        ])
                        summary.changedRecords = changed
                        try changedOutput.publish()
                    }
                    try output.publish()
                    return summary
                }
            }
        } catch SubmissionError.refused(let refused) {
            // The refusal is audited on its own (the submission's transaction rolled back).
            try await pool.withConnection { db in
                try AuditTrail.record(db, actor, .submit, entity: "submission", detail: [
                    "destination": destination.name, "refused": "true", "tumorsHeld": String(refused.tumorsHeld),
                    "tumorsEligible": String(refused.tumorsHeld + refused.tumorsSent), "editSet": set.name,
                ])
            }
            throw SubmissionError.refused(refused)
        }
    }

    /// Re-creates a submission's file byte for byte from the ledger (`registry submit --resend ID`), checked against
    /// its recorded SHA-256; audited.
    public func resend(submission id: Int, to path: String, by actor: ActingUser) async throws -> SubmissionRecord {
        try await pool.withConnection { db in
            try db.transaction { tx in
                let ledger = SubmissionLedger(connection: tx)
                guard let record = try ledger.submission(id: id) else { throw SubmissionError.noSuchSubmission(id) }
                let file = try FileByteSink(path: path + ".partial")
                var hasher = SHA256()
                try ledger.forEachFileChunk(submission: id) { bytes in
                    hasher.update(data: bytes)
                    try bytes.withUnsafeBytes { try file.write($0) }
                }
                try file.finish()
                guard Self.hex(hasher.finalize()) == record.sha256 else {
                    try? FileManager.default.removeItem(atPath: path + ".partial")
                    throw SubmissionError.checksumMismatch(id)
                }
                try AuditTrail.record(tx, actor, .submit, entity: "submission", id: id, detail: ["resent": "true", "file": record.fileName])
                if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
                try FileManager.default.moveItem(atPath: path + ".partial", toPath: path)
                return record
            }
        }
    }

    /// Marks a submission sent, accepted or rejected (with the reason a destination gave); audited. An accepted
    /// submission becomes the baseline the next one to that destination is compared with.
    /// Returns the ids marked: the submission and the file of changed records generated with it.
    @discardableResult
    public func markSubmission(_ id: Int, status: String, reason: String?, by actor: ActingUser) async throws -> [Int] {
        guard ["sent", "accepted", "rejected"].contains(status) else { throw SubmissionError.badStatus(status) }
        return try await pool.withConnection { db in
            try db.transaction { tx in
                let marked = try SubmissionLedger(connection: tx).mark(submission: id, status: status, reason: reason.map { String($0.prefix(500)) })
                guard !marked.isEmpty else { throw SubmissionError.noSuchSubmission(id) }
                for each in marked { try AuditTrail.record(tx, actor, .submit, entity: "submission", id: each, detail: ["status": status]) }
                return marked
            }
        }
    }

    /// The ledger: submissions newest first (one destination's when given).
    public func submissions(to destination: String? = nil) async throws -> [SubmissionRecord] {
        try await pool.withConnection { db in try SubmissionLedger(connection: db).list(destination: destination) }
    }

    /// One submission with the tumors it carried and held, and the destination's deletion report.
    public func submission(_ id: Int) async throws -> (record: SubmissionRecord, sent: [SubmissionTumorRow], held: [SubmissionTumorRow], deleted: [SubmissionTumorRow]) {
        try await pool.withConnection { db in
            let ledger = SubmissionLedger(connection: db)
            guard let record = try ledger.submission(id: id) else { throw SubmissionError.noSuchSubmission(id) }
            return (record, try ledger.tumors(of: id, held: false), try ledger.tumors(of: id, held: true), try ledger.deletions(destination: record.destination))
        }
    }

    // MARK: Parts

    /// SHA-256 of a tumor's content as a destination receives it: the patient's items and the tumor's, by naaccrId in
    /// dictionary order, leaving out Date Case Report Exported (2110), which each submission sets. The bytes hashed are
    /// `naaccrId=value` LF per patient item, a record separator (0x1E), then the same per tumor item; they are built
    /// in one buffer (the patient's part once per patient, `contentBytes`) and hashed in one call.
    static func contentHash(_ patient: NaaccrPatient, tumor index: Int, keys: SubmissionKeys) -> String {
        contentHash(patientBytes: contentBytes(patient.values, .patient, keys: keys), tumor: patient.tumors[index], keys: keys)
    }

    static func contentHash(patientBytes: [UInt8], tumor: NaaccrTumor, keys: SubmissionKeys) -> String {
        var bytes = patientBytes
        bytes.append(0x1e)
        appendContent(tumor.values, .tumor, keys: keys, to: &bytes)
        return hex(SHA256.hash(data: bytes))
    }

    /// The `naaccrId=value` LF lines of one record's items (Date Case Report Exported left out).
    static func contentBytes(_ values: NaaccrValues, _ level: NaaccrLevel, keys: SubmissionKeys) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2048)
        appendContent(values, level, keys: keys, to: &bytes)
        return bytes
    }

    static func appendContent(_ values: NaaccrValues, _ level: NaaccrLevel, keys: SubmissionKeys, to bytes: inout [UInt8]) {
        let ids = keys.idBytes[level]!
        for entry in values.entries where entry.index < ids.count && !(level == .tumor && entry.index == keys.reportExported.index) {
            bytes.append(contentsOf: ids[entry.index])  // "naaccrId="
            bytes.append(contentsOf: entry.value.utf8)
            bytes.append(0x0a)
        }
    }

    /// Lower-case hexadecimal of a digest.
    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 0x0f)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Blanks the direct identifiers, replaces the patient id number by a study number, cuts dates to month or year
    /// and postal codes to their first digits.
    static func deidentify(_ patient: inout NaaccrPatient, rule: Destination.Deidentification, studyNumber: Int, keys: SubmissionKeys) {
        func clean(_ values: inout NaaccrValues, _ level: NaaccrLevel) {
            let items = keys.dictionary.items[level]!
            for entry in values.entries where entry.index < items.count {
                let item = items[entry.index]
                if directIdentifiers.contains(item.naaccrId) || item.naaccrId.hasPrefix("text") {
                    values[entry.index] = nil
                } else if item.dataType == .date {
                    values[entry.index] = String(entry.value.prefix(rule.dates == "year" ? 4 : 6))
                } else if item.naaccrId.hasSuffix("PostalCode") {
                    values[entry.index] = String(entry.value.prefix(rule.postalCodeDigits))
                }
            }
        }
        clean(&patient.values, .patient)
        for t in patient.tumors.indices { clean(&patient.tumors[t].values, .tumor) }
        patient[keys.patientIdNumber] = String(format: "%08d", studyNumber)
    }

    static func fileName(_ pattern: String, registry: String, destination: String, date: String, id: Int) -> String {
        let safeRegistry = registry.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(String.init).joined()
        return pattern.replacingOccurrences(of: "{registry}", with: safeRegistry.isEmpty ? "registry" : safeRegistry)
            .replacingOccurrences(of: "{destination}", with: destination).replacingOccurrences(of: "{date}", with: date)
            .replacingOccurrences(of: "{id}", with: String(id))
    }

    static func naaccrDate(_ date: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return String(format: "%04d%02d%02d", c.year!, c.month!, c.day!)
    }
}

/// The dictionary keys a submission reads.
struct SubmissionKeys {
    let dictionary: NaaccrDictionary
    let behavior, site, classOfCase, diagnosisDate, reportExported, sex, patientIdNumber: NaaccrItemKey
    let reportingSource, age, race1, county: NaaccrItemKey
    /// Each item's "naaccrId=" bytes, by level and index (what the content hash feeds for an item).
    let idBytes: [NaaccrLevel: [[UInt8]]]

    init(_ dictionary: NaaccrDictionary) {
        self.dictionary = dictionary
        behavior = dictionary.key("behaviorCodeIcdO3")!
        site = dictionary.key("primarySite")!
        classOfCase = dictionary.key("classOfCase")!
        diagnosisDate = dictionary.key("dateOfDiagnosis")!
        reportExported = dictionary.key("dateCaseReportExported")!
        sex = dictionary.key("sexAssignedAtBirth")!
        patientIdNumber = dictionary.key("patientIdNumber")!
        reportingSource = dictionary.key("typeOfReportingSource")!
        age = dictionary.key("ageAtDiagnosis")!
        race1 = dictionary.key("race1")!
        county = dictionary.key("countyAtDx")!
        idBytes = Dictionary(uniqueKeysWithValues: [NaaccrLevel.patient, .tumor].map { level in
            (level, dictionary.items[level]!.map { Array($0.naaccrId.utf8) + [0x3d] })
        })
    }
}

/// A submission's file as it is written: XML through gzip (when the name ends in .gz) to a `.partial` file, each
/// chunk of the bytes also stored in the ledger and hashed; `publish` renames it when the transaction is about to commit.
final class SubmissionOutput {
    let writer: NaaccrXMLWriter
    let submission: Int
    private let tee: LedgerTee
    private let path: String

    init(path: String, ledger: SubmissionLedger, submission: Int, dictionary: NaaccrDictionary, header: NaaccrHeader, timeGenerated: Date,
         compressionLevel: Int = Destination.defaultCompressionLevel) throws {
        self.path = path
        self.submission = submission
        tee = LedgerTee(file: try FileByteSink(path: path + ".partial"), ledger: ledger, submission: submission)
        let sink: ByteSink = path.hasSuffix(".gz") ? try BackgroundGzipSink(tee, level: compressionLevel) : tee
        writer = try NaaccrXMLWriter(sink: sink, dictionary: dictionary, header: header, indent: true, timeGenerated: timeGenerated)
    }

    /// Ends the file; returns its SHA-256.
    func finish() throws -> String {
        try writer.finish()
        return tee.hex()
    }

    func publish() throws {
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: path + ".partial", toPath: path)
    }

    func discard() { try? FileManager.default.removeItem(atPath: path + ".partial") }
}

/// Passes bytes to the file and, in 4 MB chunks, to the ledger; hashes them (`FileChecksum`).
final class LedgerTee: ByteSink {
    private let file: FileByteSink
    private let ledger: SubmissionLedger
    private let submission: Int
    private var buffer: [UInt8] = []
    private var chunk = 0
    private let checksum = FileChecksum()
    static let chunkSize = 4 << 20

    init(file: FileByteSink, ledger: SubmissionLedger, submission: Int) {
        self.file = file
        self.ledger = ledger
        self.submission = submission
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try file.write(bytes)
        checksum.update(bytes)
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.chunkSize { try flushChunk() }
    }

    func finish() throws {
        try file.finish()
        try flushChunk()
    }

    private func flushChunk() throws {
        guard !buffer.isEmpty else { return }
        try ledger.appendFileChunk(submission: submission, chunk: chunk, bytes: buffer)
        chunk += 1
        buffer.removeAll(keepingCapacity: true)
    }

    func hex() -> String { checksum.hex() }
}

/// Gzip on a thread of its own: the XML comes in on the caller's thread in 1 MB pieces, a worker compresses them in
/// order (at most four pieces in flight, so memory stays bounded), and the compressed bytes go on to `downstream` on
/// the caller's thread again (the ledger's connection is used by that thread only).
final class BackgroundGzipSink: ByteSink, @unchecked Sendable {
    private let downstream: ByteSink
    private let worker = DispatchQueue(label: "submission-gzip")
    private let slots = DispatchSemaphore(value: 4)
    private let outbox = Outbox()
    private let gzip: ByteSink
    private var pending: [UInt8] = []
    static let pieceSize = 1 << 20

    /// Compressed bytes waiting for the caller's thread, and the worker's first error.
    final class Outbox: ByteSink, @unchecked Sendable {
        private let lock = NSLock()
        private var bytes: [UInt8] = []
        private var error: Error?
        func write(_ chunk: UnsafeRawBufferPointer) throws { lock.withLock { bytes.append(contentsOf: chunk) } }
        func finish() throws {}
        func fail(_ e: Error) { lock.withLock { if error == nil { error = e } } }
        func take() -> ([UInt8], Error?) { lock.withLock { let out = (bytes, error); bytes.removeAll(keepingCapacity: true); return out } }
    }

    init(_ downstream: ByteSink, level: Int) throws {
        self.downstream = downstream
        gzip = try gzipByteSink(outbox, level: level)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        pending.append(contentsOf: bytes)
        if pending.count >= Self.pieceSize { hand() }
        try drain()
    }

    func finish() throws {
        hand()
        worker.sync { do { try gzip.finish() } catch { outbox.fail(error) } }
        try drain()
        try downstream.finish()
    }

    private func hand() {
        guard !pending.isEmpty else { return }
        let piece = pending
        pending = []
        slots.wait()
        worker.async { [self] in
            do { try piece.withUnsafeBytes { try gzip.write($0) } } catch { outbox.fail(error) }
            slots.signal()
        }
    }

    private func drain() throws {
        let (bytes, error) = outbox.take()
        if let error { throw error }
        if !bytes.isEmpty { try bytes.withUnsafeBytes { try downstream.write($0) } }
    }
}
