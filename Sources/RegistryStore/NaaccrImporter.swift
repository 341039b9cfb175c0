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
    /// Of those, warnings (values kept and usable, e.g. surrounding spaces): a dry run does not fail for them.
    public var warningCount = 0

    /// Counts a patient read and its value problems.
    public mutating func record(_ patient: NaaccrPatient) {
        patientsRead += 1
        tumorsRead += patient.tumors.count
        for issue in patient.issues {
            issueCounts["\(issue.kind.rawValue): \(issue.naaccrId)", default: 0] += 1
            if issue.kind.isWarning { warningCount += 1 }
            if issues.count < Self.keptIssueLimit { issues.append(issue) }
        }
    }
}

/// What an import would refuse to store, checked the same way by `registry import --dry-run` and by the import itself.
public struct ImportPreCheck {
    let encoder: ImportRowEncoder

    public init(dictionary: NaaccrDictionary) { encoder = ImportRowEncoder(dictionary: dictionary) }

    /// Why the import would not store this patient (nil when it would).
    public func refusal(of patient: NaaccrPatient) -> String? { Self.refusal(of: patient, encoder: encoder) }

    static func refusal(of patient: NaaccrPatient, encoder: ImportRowEncoder) -> String? {
        guard let patientId = patient[encoder.patientIdNumber], !patientId.isEmpty else { return "no patientIdNumber (item 20)" }
        let keys = patient.tumors.enumerated().map { encoder.tumorKey($0.element, position: $0.offset) }
        if let repeated = NaaccrImporter.firstRepeat(in: keys) {
            return "two tumors have the same tumor key \"\(repeated.prefix(20))\" (tumorRecordNumber, else sequence number)"
        }
        return nil
    }
}

/// Why an import was refused as a whole (nothing was stored).
public enum ImportRefusal: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file would change stored abstracts, and the importing user may not edit abstracts.
    case changesStoredAbstracts(patients: Int, tumors: Int)

    public var description: String {
        switch self {
        case let .changesStoredAbstracts(patients, tumors):
            return "the file would change \(patients) stored patient(s) and \(tumors) stored tumor(s); importing changes to stored "
                + "abstracts needs a role that may edit them (registrar or admin); nothing was stored"
        }
    }
}

/// Streams NAACCR patients into the store.
///
/// Everything from one call goes in one transaction: either the whole file is stored or (on any error, including
/// malformed XML part-way) nothing is. Matching, so a re-import creates no duplicates:
/// - a patient is the same when `registryId` (NaaccrData level, item 40) and `patientIdNumber` (item 20) match;
/// - a tumor is the same when its patient matches and its tumor key matches: `tumorRecordNumber` (item 60)
///   when present, else `sequenceNumberCentral` (380), else `sequenceNumberHospital` (560), else its position.
/// Records whose items are unchanged are left alone (their version does not move); a changed record gets a new
/// version and an `abstract_revision` row (source "import") listing each changed item's old and new value; the
/// last copy wins when a file repeats a patient. A patient whose tumors share a key is not stored (and reported).
///
/// How: the calling thread reads and checks the file while a second thread stores it, batch by batch. Patients
/// not yet in the store go straight into `patient` and `tumor` with binary COPY (ids drawn from the tables'
/// sequences); patients already stored, and a file's repeats, go into a staging table and are merged with
/// set-based upserts at the end. Imports take a transaction-level advisory lock, so two imports never race to
/// create the same patient.
public struct NaaccrImporter {
    let db: PostgresConnection
    /// Patients per batch handed from the reading thread to the storing thread.
    static let batchSize = 2_000

    public init(connection: PostgresConnection) { db = connection }

    /// Imports patients from `next` until it returns nil; `progress` is called with the patient count every 1,000 patients.
    ///
    /// `actor` is recorded on the audit row and on every revision the import writes. Without
    /// `mayChangeStoredAbstracts` (a user who may import but not edit abstracts), a file that would change a stored
    /// patient or tumor is refused whole (`ImportRefusal.changesStoredAbstracts`), and nothing is stored.
    /// `fileDetail` (file name, checksum), asked for after the last patient, goes on the audit row.
    public func importPatients(header: NaaccrHeader, dictionary: NaaccrDictionary, source: String, actor: ActingUser,
                               mayChangeStoredAbstracts: Bool = true, fileDetail: () -> [String: String] = { [:] },
                               next: () throws -> NaaccrPatient?, progress: (Int) -> Void = { _ in },
                               finish: (PostgresConnection, ImportSummary) throws -> Void = { _, _ in }) throws -> ImportSummary {
        let summary = try importInTransaction(header: header, dictionary: dictionary, source: source, actor: actor,
                                              mayChangeStoredAbstracts: mayChangeStoredAbstracts, fileDetail: fileDetail, next: next,
                                              progress: progress, finish: finish)
        // A large import changes what the planner should know (migration 0013); the import has committed whatever
        // this says, so a server where the function is missing or not granted only keeps its older statistics.
        if summary.tumorsInserted + summary.tumorsUpdated + summary.patientsInserted >= Self.statisticsRefreshRows {
            _ = try? db.execute("SELECT refresh_planner_statistics()")
        }
        return summary
    }

    /// Rows written by one import from which the planner's statistics are refreshed at once, not left to autovacuum.
    static let statisticsRefreshRows = 10_000

    private func importInTransaction(header: NaaccrHeader, dictionary: NaaccrDictionary, source: String, actor: ActingUser,
                                     mayChangeStoredAbstracts: Bool, fileDetail: () -> [String: String],
                                     next: () throws -> NaaccrPatient?, progress: (Int) -> Void,
                                     finish: (PostgresConnection, ImportSummary) throws -> Void) throws -> ImportSummary {
        try db.transaction { tx in
            try tx.execute("SELECT pg_advisory_xact_lock($1)", [Self.importLockKey])
            // Items are compressed the fast way, where the server has lz4.
            let lz4 = try tx.query("SELECT 'lz4' = ANY (enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
            if try lz4.first?.decode(Bool?.self, at: 0) == true { try tx.execute("SET LOCAL default_toast_compression = 'lz4'") }
            try tx.execute("""
                CREATE TEMP TABLE import_row (
                    kind char(1), patient_seq int, registry_id text, patient_id_number text, tumor_key text,
                    \(ImportBatchStore.stagedColumns.map { "\($0) text" }.joined(separator: ", ")),
                    diagnosis_year smallint, items json) ON COMMIT DROP
                """)
            try tx.execute("SET LOCAL work_mem = '256MB'")  // hash joins and sorts of the staged rows stay in memory
            let registryId = dictionary.key("registryId").flatMap { header.values[$0.index] } ?? ""
            try registerItemNumbers(of: dictionary, tx)
            // Into a registry with none of this registry id's patients yet, every patient is new but a file's repeats.
            let populated = try tx.query("SELECT EXISTS (SELECT 1 FROM patient WHERE registry_id = $1)", [registryId])[0]
                .decode(Bool.self, at: 0)
            let sequence = try tx.query("SELECT pg_get_serial_sequence('patient', 'id')")[0].decode(String.self, at: 0)
            let store = ImportBatchStore(connection: tx, encoder: ImportRowEncoder(dictionary: dictionary), registryId: registryId,
                                         registryHadPatients: populated, patientIdSequence: sequence)
            let queue = HandoffQueue<ImportBatch>(capacity: 3)
            let storing = BackgroundWork(name: "import-store") { () throws -> ImportBatchStore.Counts in
                do {
                    var state = ImportBatchStore.State()
                    while let batch = queue.take() { try store.store(batch, into: &state) }
                    return state.counts
                } catch {
                    queue.stopConsuming()
                    throw error
                }
            }

            var summary = ImportSummary()
            var seenPatients = Set<String>()
            let encoder = store.encoder
            do {
                var batch = ImportBatch()
                reading: while let patient = try next() {
                    summary.record(patient)
                    if summary.patientsRead % 1000 == 0 { progress(summary.patientsRead) }
                    if let refusal = ImportPreCheck.refusal(of: patient, encoder: encoder) {
                        summary.rejectedPatients.append((patient.line, refusal))
                        continue
                    }
                    let patientId = patient[encoder.patientIdNumber]!
                    let tumorKeys = patient.tumors.enumerated().map { encoder.tumorKey($0.element, position: $0.offset) }
                    let seenBefore = !seenPatients.insert(patientId).inserted
                    batch.append(ImportBatch.Entry(patient: patient, patientId: patientId, tumorKeys: tumorKeys,
                                                   sequence: summary.patientsRead, repeatsEarlierRecord: seenBefore))
                    if batch.entries.count == Self.batchSize {
                        guard queue.put(batch) else { break reading }  // the storing thread failed: join() says why
                        batch = ImportBatch()
                    }
                }
                if !batch.entries.isEmpty { _ = queue.put(batch) }
                queue.finishProducing()
            } catch {
                queue.finishProducing()
                queue.stopConsuming()
                _ = try? storing.join()
                throw error
            }
            let counts = try storing.join()
            progress(summary.patientsRead)
            summary.patientsInserted = counts.patientsInserted
            summary.tumorsInserted = counts.tumorsInserted
            if counts.rowsStaged > 0 {
                let merged = try mergeStagedRows(tx, fileRepeatsPatients: seenPatients.count < summary.patientsRead - summary.rejectedPatients.count,
                                                 changedBy: actor.userId)
                if !mayChangeStoredAbstracts, merged.patientsUpdated + merged.tumorsUpdated > 0 {
                    throw ImportRefusal.changesStoredAbstracts(patients: merged.patientsUpdated, tumors: merged.tumorsUpdated)
                }
                summary.patientsInserted += merged.patientsInserted
                summary.patientsUpdated = merged.patientsUpdated
                summary.tumorsInserted += merged.tumorsInserted
                summary.tumorsUpdated = merged.tumorsUpdated
            }
            try finish(tx, summary)
            var detail = fileDetail()
            detail["source"] = source
            for (key, value) in [("patientsRead", summary.patientsRead), ("tumorsRead", summary.tumorsRead),
                                 ("patientsInserted", summary.patientsInserted), ("patientsUpdated", summary.patientsUpdated),
                                 ("tumorsInserted", summary.tumorsInserted), ("tumorsUpdated", summary.tumorsUpdated),
                                 ("patientsRejected", summary.rejectedPatients.count), ("valueProblems", summary.issueCount)] {
                detail[key] = String(value)
            }
            try AuditTrail.record(tx, actor, .import, entity: "naaccr_file", detail: detail)
            return summary
        }
    }

    /// Adds the dictionary's items that `naaccr_item` lacks (user-dictionary items), so SQL and revisions can name them.
    private func registerItemNumbers(of dictionary: NaaccrDictionary, _ tx: PostgresConnection) throws {
        let extra = dictionary.allItems.filter { NaaccrDictionary.v26.key(naaccrNum: $0.naaccrNum) == nil }
        guard !extra.isEmpty else { return }
        try tx.execute("""
            INSERT INTO naaccr_item (naaccr_num, naaccr_id, level, dictionary_uri)
            SELECT n::int, i, l, u FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(n, i, l, u)
            ON CONFLICT DO NOTHING
            """, [PostgresTextArray(extra.map { String($0.naaccrNum) }), PostgresTextArray(extra.map(\.naaccrId)),
                  PostgresTextArray(extra.map(\.level.rawValue)),
                  PostgresTextArray(extra.map { _ in dictionary.userDictionaryUris.isEmpty ? dictionary.uri : dictionary.userDictionaryUris.joined(separator: " ") })])
    }

    /// The advisory lock key imports hold (an arbitrary constant: "NAACCR" in ASCII).
    static let importLockKey = 0x4E41_4143_4352

    static func firstRepeat(in keys: [String]) -> String? {
        guard keys.count > 1 else { return nil }
        var seen = Set<String>()
        return keys.first { !seen.insert($0).inserted }
    }

    /// Merges the staged rows (patients already stored, and a file's repeated patients) into `patient` and `tumor`.
    private func mergeStagedRows(_ tx: PostgresConnection, fileRepeatsPatients: Bool, changedBy: Int?) throws
        -> (patientsInserted: Int, patientsUpdated: Int, tumorsInserted: Int, tumorsUpdated: Int) {
        // The upserts can take each key once: only a file that repeats a patient needs the newest copy picked.
        let latestPatients = fileRepeatsPatients
            ? "SELECT DISTINCT ON (registry_id, patient_id_number) * FROM import_row WHERE kind = 'P' ORDER BY registry_id, patient_id_number, patient_seq DESC"
            : "SELECT * FROM import_row WHERE kind = 'P'"
        let latestTumors = fileRepeatsPatients
            ? "SELECT DISTINCT ON (registry_id, patient_id_number, tumor_key) * FROM import_row WHERE kind = 'T' ORDER BY registry_id, patient_id_number, tumor_key, patient_seq DESC"
            : "SELECT * FROM import_row WHERE kind = 'T'"
        // json has no equality: equal text is unchanged, else items are compared as jsonb (key order and spacing
        // written by another writer do not count as changes). items is never NULL.
        let patients = try tx.query("""
            WITH latest AS (\(latestPatients)),
            previous AS (
                SELECT p.id, p.items, l.items AS new_items FROM patient p JOIN latest l
                  ON l.registry_id = p.registry_id AND l.patient_id_number = p.patient_id_number),
            upserted AS (
                INSERT INTO patient (registry_id, patient_id_number, \(ImportRowEncoder.patientColumns), items)
                SELECT registry_id, patient_id_number, \(ImportBatchStore.stagedColumns.prefix(ImportRowEncoder.patientColumnCount).joined(separator: ", ")), items
                FROM latest
                ON CONFLICT (registry_id, patient_id_number) DO UPDATE SET
                    \(TypedColumns.patientFields.map { "\($0.column) = EXCLUDED.\($0.column)" }.joined(separator: ", ")),
                    items = EXCLUDED.items, version = patient.version + 1, updated_at = now()
                WHERE patient.items::text <> EXCLUDED.items::text AND patient.items::jsonb <> EXCLUDED.items::jsonb
                RETURNING id, version, (xmax = 0) AS inserted),
            revisions AS (
                INSERT INTO abstract_revision (patient_id, version, changed_by, source, changes)
                SELECT u.id, u.version, $1::bigint, 'import', \(Self.itemChanges)
                FROM upserted u JOIN previous pr ON pr.id = u.id WHERE NOT u.inserted RETURNING 1)
            SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated,
                   (SELECT count(*) FROM revisions) AS revisions FROM upserted
            """, [changedBy])[0]
        let tumors = try tx.query("""
            WITH latest AS (\(latestTumors)),
            previous AS (
                SELECT t.id, t.items, l.items AS new_items FROM tumor t JOIN patient p ON p.id = t.patient_id
                JOIN latest l ON l.registry_id = p.registry_id AND l.patient_id_number = p.patient_id_number AND l.tumor_key = t.tumor_key),
            upserted AS (
                INSERT INTO tumor (patient_id, tumor_key, \(ImportRowEncoder.tumorColumns), items)
                SELECT p.id, l.tumor_key, \(ImportBatchStore.stagedColumns.map { "l.\($0)" }.joined(separator: ", ")), l.diagnosis_year, l.items
                FROM latest l JOIN patient p ON p.registry_id = l.registry_id AND p.patient_id_number = l.patient_id_number
                ON CONFLICT (patient_id, tumor_key) DO UPDATE SET
                    \((TypedColumns.tumorFields.map(\.column) + ["diagnosis_year"]).map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")),
                    items = EXCLUDED.items, version = tumor.version + 1, updated_at = now()
                WHERE tumor.items::text <> EXCLUDED.items::text AND tumor.items::jsonb <> EXCLUDED.items::jsonb
                RETURNING id, patient_id, version, (xmax = 0) AS inserted),
            revisions AS (
                INSERT INTO abstract_revision (patient_id, tumor_id, version, changed_by, source, changes)
                SELECT u.patient_id, u.id, u.version, $1::bigint, 'import', \(Self.itemChanges)
                FROM upserted u JOIN previous pr ON pr.id = u.id WHERE NOT u.inserted RETURNING 1)
            SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated,
                   (SELECT count(*) FROM revisions) AS revisions FROM upserted
            """, [changedBy])[0]
        return (try patients.decode(Int.self, column: "inserted"), try patients.decode(Int.self, column: "updated"),
                try tumors.decode(Int.self, column: "inserted"), try tumors.decode(Int.self, column: "updated"))
    }

    /// `{"naaccrId": {"old": …, "new": …}}` for each item that differs between `pr.items` and `pr.new_items` (stored
    /// items are keyed by number; revisions name items by id, as the workbench's do).
    private static let itemChanges = """
        (SELECT jsonb_object_agg(coalesce((SELECT d.naaccr_id FROM naaccr_item d WHERE d.naaccr_num::text = k), k),
                                 jsonb_build_object('old', o.items->>k, 'new', n.items->>k))
                 FROM (SELECT pr.items::jsonb) AS o(items), (SELECT pr.new_items::jsonb) AS n(items),
                      LATERAL (SELECT jsonb_object_keys(o.items) UNION SELECT jsonb_object_keys(n.items)) AS keys(k)
                 WHERE (o.items->>k) IS DISTINCT FROM (n.items->>k))
        """
}

/// Patients read from a file, on their way to the storing thread.
struct ImportBatch: Sendable {
    struct Entry: Sendable {
        var patient: NaaccrPatient
        var patientId: String
        var tumorKeys: [String]
        /// Position in the file (1-based), so the last copy of a repeated patient wins.
        var sequence: Int
        /// The file had this patient earlier: it goes through the staging table to replace that copy.
        var repeatsEarlierRecord: Bool
    }
    var entries: [Entry] = []

    init() { entries.reserveCapacity(NaaccrImporter.batchSize) }

    mutating func append(_ entry: Entry) { entries.append(entry) }
}

/// Stores batches on the import's connection (used only from the storing thread while the import runs).
struct ImportBatchStore: Sendable {
    /// The staging table's typed columns c1…cN: a patient row fills the first of them with its typed columns, a tumor
    /// row all of them with its text columns (then `diagnosis_year`).
    static let stagedColumns = (1...TypedColumns.tumorFields.count).map { "c\($0)" }
    /// kind, patient_seq, registry_id, patient_id_number, tumor_key, c1…cN, diagnosis_year, items.
    static let stagedFieldCount = 5 + stagedColumns.count + 2

    struct Counts: Sendable {
        var patientsInserted = 0
        var tumorsInserted = 0
        var rowsStaged = 0
    }

    /// What the storing thread carries from batch to batch.
    struct State: Sendable {
        var counts = Counts()
        /// Patient ids drawn from the sequence and not used yet (drawn in blocks, one round trip per block).
        var spareIds: ArraySlice<Int> = []
    }

    /// Patient ids drawn per round trip.
    static let idBlock = 20_000

    let connection: PostgresConnection
    let encoder: ImportRowEncoder
    let registryId: String
    /// False when the registry had no patients of this registry id before the import: no look-ups are needed.
    let registryHadPatients: Bool
    let patientIdSequence: String

    func store(_ batch: ImportBatch, into state: inout State) throws {
        let candidates = batch.entries.filter { !$0.repeatsEarlierRecord }
        let stored = try storedPatientIds(candidates.map(\.patientId))
        let new = candidates.filter { !stored.contains($0.patientId) }
        let staged = batch.entries.filter { $0.repeatsEarlierRecord || stored.contains($0.patientId) }
        if !new.isEmpty {
            if state.spareIds.count < new.count {
                state.spareIds += try connection.query("SELECT nextval($1::regclass) FROM generate_series(1, $2)",
                                                       [patientIdSequence, max(Self.idBlock, new.count)]).map { try $0.decode(Int.self, at: 0) }
            }
            let ids = state.spareIds.prefix(new.count)
            state.spareIds = state.spareIds.dropFirst(new.count)
            state.counts.patientsInserted += try connection.copyInBinary("""
                COPY patient (id, registry_id, patient_id_number, \(ImportRowEncoder.patientColumns), items) FROM STDIN (FORMAT binary)
                """) { writer in
                for (entry, id) in zip(new, ids) {
                    try writer.beginRow(fieldCount: 4 + ImportRowEncoder.patientColumnCount)
                    writer.appendInt64(Int64(id))
                    writer.appendText(registryId)
                    writer.appendText(entry.patientId)
                    encoder.appendPatientColumns(entry.patient, to: &writer)
                    encoder.appendItems(entry.patient.values, .patient, to: &writer)
                }
            }
            state.counts.tumorsInserted += try connection.copyInBinary("""
                COPY tumor (patient_id, tumor_key, \(ImportRowEncoder.tumorColumns), items) FROM STDIN (FORMAT binary)
                """) { writer in
                for (entry, id) in zip(new, ids) {
                    for (tumor, key) in zip(entry.patient.tumors, entry.tumorKeys) {
                        try writer.beginRow(fieldCount: 3 + ImportRowEncoder.tumorColumnCount)
                        writer.appendInt64(Int64(id))
                        writer.appendText(key)
                        encoder.appendTumorColumns(tumor, to: &writer)
                        encoder.appendItems(tumor.values, .tumor, to: &writer)
                    }
                }
            }
        }
        if !staged.isEmpty {
            state.counts.rowsStaged += try connection.copyInBinary("COPY import_row FROM STDIN (FORMAT binary)") { writer in
                for entry in staged {
                    try writer.beginRow(fieldCount: Self.stagedFieldCount)
                    writer.appendText("P")
                    writer.appendInt32(Int32(entry.sequence))
                    writer.appendText(registryId)
                    writer.appendText(entry.patientId)
                    writer.appendNull()
                    encoder.appendPatientColumns(entry.patient, to: &writer)
                    for _ in ImportRowEncoder.patientColumnCount..<(ImportRowEncoder.tumorColumnCount - 1) { writer.appendNull() }
                    writer.appendInt16(nil)
                    encoder.appendItems(entry.patient.values, .patient, to: &writer)
                    for (tumor, key) in zip(entry.patient.tumors, entry.tumorKeys) {
                        try writer.beginRow(fieldCount: Self.stagedFieldCount)
                        writer.appendText("T")
                        writer.appendInt32(Int32(entry.sequence))
                        writer.appendText(registryId)
                        writer.appendText(entry.patientId)
                        writer.appendText(key)
                        encoder.appendTumorColumns(tumor, to: &writer)
                        encoder.appendItems(tumor.values, .tumor, to: &writer)
                    }
                }
            }
        }
    }

    /// Which of `patientIds` are already stored under this registry id.
    private func storedPatientIds(_ patientIds: [String]) throws -> Set<String> {
        guard registryHadPatients, !patientIds.isEmpty else { return [] }
        let rows = try connection.query("SELECT stored_patient_ids($1, $2)", [registryId, PostgresTextArray(patientIds)])
        return Set(try rows.map { try $0.decode(String.self, at: 0) })
    }
}
