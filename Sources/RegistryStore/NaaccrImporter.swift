import NAACCR
import Postgres

/// What an import did and found.
public struct ImportSummary: Sendable {
    public var patientsRead = 0
    public var tumorsRead = 0
    public var patientsInserted = 0
    public var patientsUpdated = 0
    public var tumorsInserted = 0
    public var tumorsUpdated = 0
    /// Value-level problems by "kind: item", for the end-of-run table.
    public var issueCounts: [String: Int] = [:]
    /// The first problems in full (line, patient, tumor, item), at most `keptIssueLimit`.
    public var issues: [NaaccrIssue] = []
    /// Patients that could not be stored (no patient id number), with their line.
    public var rejectedPatients: [(line: Int, reason: String)] = []
    public static let keptIssueLimit = 1000

    public init() {}

    public var issueCount: Int { issueCounts.values.reduce(0, +) }

    /// Counts a patient read and its value problems.
    public mutating func record(_ patient: NaaccrPatient) {
        patientsRead += 1
        tumorsRead += patient.tumors.count
        for issue in patient.issues {
            issueCounts["\(issue.kind.rawValue): \(issue.naaccrId)", default: 0] += 1
            if issues.count < Self.keptIssueLimit { issues.append(issue) }
        }
    }
}

/// Streams NAACCR patients into the store.
///
/// Everything from one call goes in one transaction: rows are sent with COPY into a temporary staging
/// table, then merged into `patient` and `tumor` with set-based upserts. Either the whole file is stored
/// or (on any error) nothing is. Matching, so a re-import creates no duplicates:
/// - a patient is the same when `registryId` (NaaccrData level, item 40) and `patientIdNumber` (item 20) match;
/// - a tumor is the same when its patient matches and its tumor key matches: `tumorRecordNumber` (item 60)
///   when present, else `sequenceNumberCentral` (380), else `sequenceNumberHospital` (560), else its position.
/// Records whose items are unchanged are left alone (their version does not move); a changed record gets a new
/// version and an `abstract_revision` row (source "import") listing each changed item's old and new value; the
/// last copy wins when a file repeats a patient.
public struct NaaccrImporter {
    let db: PostgresConnection

    public init(connection: PostgresConnection) { db = connection }

    /// Imports patients from `next` until it returns nil; `progress` is called with the patient count every 1,000 patients.
    public func importPatients(header: NaaccrHeader, dictionary: NaaccrDictionary, source: String, actor: String,
                               next: () throws -> NaaccrPatient?, progress: (Int) -> Void = { _ in }) throws -> ImportSummary {
        try db.transaction { tx in
            // The staging table's jsonb is compressed the fast way too, where the server has lz4.
            let lz4 = try tx.query("SELECT 'lz4' = ANY (enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
            if try lz4.first?.decode(Bool?.self, at: 0) == true { try tx.execute("SET LOCAL default_toast_compression = 'lz4'") }
            try tx.execute("""
                CREATE TEMP TABLE import_row (
                    kind char(1), patient_seq int, registry_id text, patient_id_number text, tumor_key text,
                    c1 text, c2 text, c3 text, c4 text, c5 text, c6 text, c7 text, c8 text, c9 text, c10 text, c11 text,
                    diagnosis_year smallint, items jsonb) ON COMMIT DROP
                """)
            try tx.execute("SET LOCAL work_mem = '256MB'")  // hash joins and sorts of a whole file stay in memory
            var summary = ImportSummary()
            let registryId = dictionary.key("registryId").flatMap { header.values[$0.index] } ?? ""
            var seenPatients = Set<String>()
            var fileRepeatsPatients = false
            var encoder = RowEncoder(dictionary: dictionary)
            _ = try tx.copyIn("COPY import_row FROM STDIN") { writer in
                while let patient = try next() {
                    summary.record(patient)
                    if summary.patientsRead % 1000 == 0 { progress(summary.patientsRead) }
                    guard let patientId = patient[encoder.patientIdNumber], !patientId.isEmpty else {
                        summary.rejectedPatients.append((patient.line, "no patientIdNumber (item 20)"))
                        continue
                    }
                    if !seenPatients.insert(patientId).inserted { fileRepeatsPatients = true }
                    let sequence = String(summary.patientsRead)
                    for field in ["P", sequence, registryId, patientId, nil] { writer.appendField(field) }
                    encoder.appendPatientColumns(patient, to: &writer)
                    for _ in 0..<6 { writer.appendField(nil) }
                    encoder.appendJSON(patient.values, .patient, to: &writer)
                    try writer.endRow()
                    for (position, tumor) in patient.tumors.enumerated() {
                        for field in ["T", sequence, registryId, patientId, encoder.tumorKey(tumor, position: position)] {
                            writer.appendField(field)
                        }
                        encoder.appendTumorColumns(tumor, to: &writer)
                        encoder.appendJSON(tumor.values, .tumor, to: &writer)
                        try writer.endRow()
                    }
                }
            }
            // The upserts below can take each key once: only a file that repeats a patient needs the newest copy picked.
            let latestPatients = fileRepeatsPatients
                ? "SELECT DISTINCT ON (registry_id, patient_id_number) * FROM import_row WHERE kind = 'P' ORDER BY registry_id, patient_id_number, patient_seq DESC"
                : "SELECT * FROM import_row WHERE kind = 'P'"
            let latestTumors = fileRepeatsPatients
                ? "SELECT DISTINCT ON (registry_id, patient_id_number, tumor_key) * FROM import_row WHERE kind = 'T' ORDER BY registry_id, patient_id_number, tumor_key, patient_seq DESC"
                : "SELECT * FROM import_row WHERE kind = 'T'"
            progress(summary.patientsRead)
            let patients = try tx.query("""
                WITH latest AS (\(latestPatients)),
                previous AS (
                    SELECT p.id, p.items, l.items AS new_items FROM patient p JOIN latest l
                      ON l.registry_id = p.registry_id AND l.patient_id_number = p.patient_id_number),
                upserted AS (
                    INSERT INTO patient (registry_id, patient_id_number, name_last, name_first, date_of_birth,
                                         sex_assigned_at_birth, vital_status, date_of_last_contact, items)
                    SELECT registry_id, patient_id_number, c1, c2, c3, c4, c5, c6, items FROM latest
                    ON CONFLICT (registry_id, patient_id_number) DO UPDATE SET
                        name_last = EXCLUDED.name_last, name_first = EXCLUDED.name_first,
                        date_of_birth = EXCLUDED.date_of_birth, sex_assigned_at_birth = EXCLUDED.sex_assigned_at_birth,
                        vital_status = EXCLUDED.vital_status, date_of_last_contact = EXCLUDED.date_of_last_contact,
                        items = EXCLUDED.items, version = patient.version + 1, updated_at = now()
                    WHERE patient.items IS DISTINCT FROM EXCLUDED.items
                    RETURNING id, version, (xmax = 0) AS inserted),
                revisions AS (
                    INSERT INTO abstract_revision (patient_id, version, source, changes)
                    SELECT u.id, u.version, 'import', (SELECT jsonb_object_agg(k, jsonb_build_object('old', pr.items->>k, 'new', pr.new_items->>k))
                             FROM (SELECT jsonb_object_keys(pr.items) UNION SELECT jsonb_object_keys(pr.new_items)) AS keys(k)
                             WHERE (pr.items->>k) IS DISTINCT FROM (pr.new_items->>k))
                    FROM upserted u JOIN previous pr ON pr.id = u.id WHERE NOT u.inserted RETURNING 1)
                SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated,
                       (SELECT count(*) FROM revisions) AS revisions FROM upserted
                """)[0]
            summary.patientsInserted = try patients.decode(Int.self, column: "inserted")
            summary.patientsUpdated = try patients.decode(Int.self, column: "updated")
            let tumors = try tx.query("""
                WITH latest AS (\(latestTumors)),
                previous AS (
                    SELECT t.id, t.items, l.items AS new_items FROM tumor t JOIN patient p ON p.id = t.patient_id
                    JOIN latest l ON l.registry_id = p.registry_id AND l.patient_id_number = p.patient_id_number AND l.tumor_key = t.tumor_key),
                upserted AS (
                    INSERT INTO tumor (patient_id, tumor_key, sequence_number_central, sequence_number_hospital, primary_site,
                                       laterality, histologic_type, behavior, date_of_diagnosis, class_of_case,
                                       summary_stage_2018, reporting_facility, accession_number, diagnosis_year, items)
                    SELECT p.id, l.tumor_key, l.c1, l.c2, l.c3, l.c4, l.c5, l.c6, l.c7, l.c8, l.c9, l.c10, l.c11,
                           l.diagnosis_year, l.items
                    FROM latest l JOIN patient p ON p.registry_id = l.registry_id AND p.patient_id_number = l.patient_id_number
                    ON CONFLICT (patient_id, tumor_key) DO UPDATE SET
                        sequence_number_central = EXCLUDED.sequence_number_central,
                        sequence_number_hospital = EXCLUDED.sequence_number_hospital, primary_site = EXCLUDED.primary_site,
                        laterality = EXCLUDED.laterality, histologic_type = EXCLUDED.histologic_type,
                        behavior = EXCLUDED.behavior, date_of_diagnosis = EXCLUDED.date_of_diagnosis,
                        class_of_case = EXCLUDED.class_of_case, summary_stage_2018 = EXCLUDED.summary_stage_2018,
                        reporting_facility = EXCLUDED.reporting_facility, accession_number = EXCLUDED.accession_number,
                        diagnosis_year = EXCLUDED.diagnosis_year, items = EXCLUDED.items,
                        version = tumor.version + 1, updated_at = now()
                    WHERE tumor.items IS DISTINCT FROM EXCLUDED.items
                    RETURNING id, patient_id, version, (xmax = 0) AS inserted),
                revisions AS (
                    INSERT INTO abstract_revision (patient_id, tumor_id, version, source, changes)
                    SELECT u.patient_id, u.id, u.version, 'import', (SELECT jsonb_object_agg(k, jsonb_build_object('old', pr.items->>k, 'new', pr.new_items->>k))
                             FROM (SELECT jsonb_object_keys(pr.items) UNION SELECT jsonb_object_keys(pr.new_items)) AS keys(k)
                             WHERE (pr.items->>k) IS DISTINCT FROM (pr.new_items->>k))
                    FROM upserted u JOIN previous pr ON pr.id = u.id WHERE NOT u.inserted RETURNING 1)
                SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated,
                       (SELECT count(*) FROM revisions) AS revisions FROM upserted
                """)[0]
            summary.tumorsInserted = try tumors.decode(Int.self, column: "inserted")
            summary.tumorsUpdated = try tumors.decode(Int.self, column: "updated")
            let detail = try PostgresJSON(encoding: [
                "source": source, "patientsRead": String(summary.patientsRead), "tumorsRead": String(summary.tumorsRead),
                "patientsInserted": String(summary.patientsInserted), "patientsUpdated": String(summary.patientsUpdated),
                "tumorsInserted": String(summary.tumorsInserted), "tumorsUpdated": String(summary.tumorsUpdated),
            ])
            try tx.execute("INSERT INTO audit_log (username, action, entity, detail) VALUES ($1, 'import', 'naaccr_file', $2)",
                           [actor, detail])
            return summary
        }
    }
}

/// Turns records into staging-table columns and `items` JSON.
struct RowEncoder {
    let dictionary: NaaccrDictionary
    let patientIdNumber: NaaccrItemKey
    private let patientKeys: [NaaccrItemKey?]
    private let tumorKeys: [NaaccrItemKey?]
    private let tumorRecordNumber, sequenceCentral, sequenceHospital, dateOfDiagnosis: NaaccrItemKey?
    /// `"naaccrId":` prefixes, per level and index.
    private let jsonKeys: [NaaccrLevel: [[UInt8]]]
    private var scratch: [UInt8] = []

    init(dictionary d: NaaccrDictionary) {
        dictionary = d
        patientIdNumber = d.key("patientIdNumber")!
        patientKeys = ["nameLast", "nameFirst", "dateOfBirth", "sexAssignedAtBirth", "vitalStatus", "dateOfLastContact"].map { d.key($0) }
        tumorKeys = ["sequenceNumberCentral", "sequenceNumberHospital", "primarySite", "laterality", "histologicTypeIcdO3",
                     "behaviorCodeIcdO3", "dateOfDiagnosis", "classOfCase", "summaryStage2018", "reportingFacility",
                     "accessionNumberHosp"].map { d.key($0) }
        tumorRecordNumber = d.key("tumorRecordNumber")
        sequenceCentral = d.key("sequenceNumberCentral")
        sequenceHospital = d.key("sequenceNumberHospital")
        dateOfDiagnosis = d.key("dateOfDiagnosis")
        var keys: [NaaccrLevel: [[UInt8]]] = [:]
        for level in NaaccrLevel.allCases { keys[level] = d.items[level]!.map { Array("\"\($0.naaccrId)\":".utf8) } }
        jsonKeys = keys
    }

    func appendPatientColumns(_ p: NaaccrPatient, to writer: inout CopyInWriter) {
        for key in patientKeys { writer.appendField(key.flatMap { p[$0] }) }
    }

    /// The typed tumor columns, then the diagnosis year (nil unless the date starts with four digits).
    func appendTumorColumns(_ t: NaaccrTumor, to writer: inout CopyInWriter) {
        for key in tumorKeys { writer.appendField(key.flatMap { t[$0] }) }
        var year: String?
        if let date = dateOfDiagnosis.flatMap({ t[$0] }) {
            let digits = date.utf8.prefix(4)
            if digits.count == 4, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { year = String(date.prefix(4)) }
        }
        writer.appendField(year)
    }

    func tumorKey(_ t: NaaccrTumor, position: Int) -> String {
        for key in [tumorRecordNumber, sequenceCentral, sequenceHospital] {
            if let key, let value = t[key], !value.isEmpty { return value }
        }
        return "#\(position + 1)"
    }

    /// Appends `values` as a flat JSON object (`{"naaccrId":"value",...}`) field.
    mutating func appendJSON(_ values: NaaccrValues, _ level: NaaccrLevel, to writer: inout CopyInWriter) {
        let keys = jsonKeys[level]!
        scratch.removeAll(keepingCapacity: true)
        scratch.append(UInt8(ascii: "{"))
        for (i, entry) in values.entries.enumerated() {
            if i > 0 { scratch.append(UInt8(ascii: ",")) }
            scratch.append(contentsOf: keys[entry.index])
            scratch.append(UInt8(ascii: "\""))
            for byte in entry.value.utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): scratch.append(UInt8(ascii: "\\")); scratch.append(byte)
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    scratch.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
                default: scratch.append(byte)
                }
            }
            scratch.append(UInt8(ascii: "\""))
        }
        scratch.append(UInt8(ascii: "}"))
        scratch.withUnsafeBufferPointer { writer.appendField(utf8: $0) }
    }
}

