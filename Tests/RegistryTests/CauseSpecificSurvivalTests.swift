import Foundation
import Postgres
import Registry
import RegistryStore
import TestSupport
import Testing

/// Cause-specific survival from the store: a death from the cancer is the event, a death of another cause is
/// censored at death, an unknown cause of death is left out and counted.
@Suite("Cause-specific survival from the store", .serialized)
struct CauseSpecificSurvivalTests {
    @Test func deathsAreClassifiedBySEERsCauseSpecificRules() async throws {
        try await WorkflowTests.withEmptyRegistry { registry, db, _ in
            let repository = AbstractRepository(connection: db)
            // (vital status, cause of death, ICD revision): dead of breast cancer, of a heart attack, of an unknown cause; alive.
            let patients: [(String, String, String)] = [("0", "C509", "1"), ("0", "I219", "1"), ("0", "7777", "1"), ("1", "", "0")]
            for (i, p) in patients.enumerated() {
                var items = ["patientIdNumber": String(format: "%08d", i + 1), "dateOfBirth": "19500101", "sexAssignedAtBirth": "2",
                             "vitalStatus": p.0, "dateOfLastContact": "20220601", "icdRevisionNumber": p.2]
                if !p.1.isEmpty { items["causeOfDeath"] = p.1 }
                let id = try repository.createPatient(items: items, registryId: "", userId: nil)
                _ = try repository.createTumor(patientId: id, items: [
                    "primarySite": "C504", "histologicTypeIcdO3": "8500", "behaviorCodeIcdO3": "3", "dateOfDiagnosis": "20200115",
                    "sequenceNumberCentral": "00", "typeOfReportingSource": "1", "ageAtDiagnosis": "070", "summaryStage2018": "1"], userId: nil)
            }
            var selection = StoreSelection(grouping: .none, strata: nil, period: nil, fromYear: 2020, toYear: 2020, endPointYear: 2024,
                                           firstPrimaryOnly: true, presumedAlive: false)
            let (all, _) = try await registry.survivalCohort(selection, by: .operatingSystemAccount())
            #expect(all.count == 4 && all.filter(\.event).count == 3)
            selection.causeSpecific = true
            let (records, exclusions) = try await registry.survivalCohort(selection, by: .operatingSystemAccount())
            #expect(records.count == 3, "the unknown cause is left out")
            #expect(records.filter(\.event).count == 1, "only the breast cancer death is the event")
            #expect(exclusions.counts["dead of an unknown cause (cause-specific survival)"] == 1)
        }
    }
}
