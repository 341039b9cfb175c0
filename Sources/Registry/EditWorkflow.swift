import Edits
import Foundation
import NAACCR
import Postgres
import RegistryStore

/// What an edit run over the store found.
public struct EditRunSummary: Sendable, Equatable {
    public let runId: Int
    public let tumorsChecked: Int
    public let tumorsWithErrors: Int
    public let tumorsWithWarnings: Int
}

extension Registry {
    /// Runs `set` over every patient in the store (each registry id in turn, from one snapshot each) and saves each
    /// tumor's result in `edit_result`; the run, its results and its audit row commit together. "Today" for the
    /// date edits is the day the run starts.
    public func runEdits(_ set: EditSet, by actor: ActingUser, progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> EditRunSummary {
        try await pool.withConnection { db in
            let runner = BatchEditRunner(engine: EditEngine(set: set, library: editLibrary))
            var results: [StoredEditResult] = []
            var batch: [(NaaccrPatient, [Int])] = []
            func flush() {
                for ((_, tumorIds), failures) in zip(batch, runner.check(batch.map(\.0))) {
                    var byTumor = [[EditFailure]](repeating: [], count: tumorIds.count)
                    for failure in failures where failure.tumorIndex < byTumor.count { byTumor[failure.tumorIndex].append(failure) }
                    for (tumorId, mine) in zip(tumorIds, byTumor) {
                        results.append(StoredEditResult(tumorId: tumorId, failures: EditReport.records(mine)))
                    }
                }
                batch.removeAll(keepingCapacity: true)
            }
            var count = 0
            let exporter = NaaccrExporter(connection: db)
            var registries = try db.query("SELECT DISTINCT registry_id FROM patient").map { try $0.decode(String.self, at: 0) }
            if registries.isEmpty { registries = [""] }
            for registry in registries {
                _ = try exporter.forEachPatient(ExportSelection(registryId: registry), dictionary: .v26, body: { patient, _, tumorIds in
                    batch.append((patient, tumorIds))
                    count += 1
                    if batch.count == 4000 { flush(); progress(count) }
                })
            }
            flush()
            progress(count)
            let run = try db.transaction { tx in
                let run = try EditResultStore(connection: tx).save(editSet: set.name, runBy: actor.username, results: results)
                try AuditTrail.record(tx, actor, .run, entity: "edit_run", id: run,
                                      detail: ["set": set.name, "patients": String(count), "tumors": String(results.count)])
                return run
            }
            return EditRunSummary(runId: run, tumorsChecked: results.count, tumorsWithErrors: results.filter { $0.errors > 0 }.count,
                                  tumorsWithWarnings: results.filter { $0.warnings > 0 }.count)
        }
    }

    /// The stored result of one tumor in the registry's edit set (nil before any run or save).
    public func storedEditResult(tumorId: Int) async throws -> StoredEditResult? {
        let set = editSet.name
        return try await pool.withConnection { db in try EditResultStore(connection: db).result(tumorId: tumorId, editSet: set) }
    }
}
