import CivilCalendar
import Foundation
import Postgres
import Registry
import RegistryStore
import TestSupport
import Testing

/// The CoC measures on cases built on each boundary of their cohorts and numerators (age 69/70 and 79/80, 365/366 and
/// 120/121 days, 11/12 nodes, appendix, local excision, men, receptor status, T1c vs T1b), the counts worked out by
/// hand; the 95% intervals against SciPy's Wilson interval; the indicators against the test's own SQL.
@Suite("Quality dashboard: CoC measures on boundary cases, indicators", .serialized)
struct QualityDashboardTests {
    static let dx = "20240110"
    static func day(_ offset: Int) -> String { CalendarDate(daysSinceEpoch: CalendarDate("2024-01-10")!.daysSinceEpoch + offset).naaccrDate }

    /// (label, sex, tumor items over a base) → expected (measure, in denominator, meets).
    static let cases: [(String, String, [String: String])] = [
        ("colon 12 nodes", "1", ["primarySite": "C182", "rxSummSurgPrimSite": "40", "regionalNodesExamined": "12"]),
        ("colon 11 nodes", "1", ["primarySite": "C182", "rxSummSurgPrimSite": "40", "regionalNodesExamined": "11"]),
        ("colon age 17", "1", ["primarySite": "C182", "rxSummSurgPrimSite": "40", "regionalNodesExamined": "15", "ageAtDiagnosis": "017"]),
        ("colon local excision", "1", ["primarySite": "C182", "rxSummSurgPrimSite": "20", "regionalNodesExamined": "15"]),
        ("appendix", "1", ["primarySite": "C181", "rxSummSurgPrimSite": "40", "regionalNodesExamined": "15"]),
        ("colon class 00", "1", ["primarySite": "C182", "rxSummSurgPrimSite": "40", "regionalNodesExamined": "15", "classOfCase": "00"]),
        ("colon 2023 code", "1", ["primarySite": "C187", "rxSummSurgPrimSite2023": "B400", "regionalNodesExamined": "20"]),
        ("colon III age 79 chemo day 120", "2", ["primarySite": "C182", "rxSummSurgPrimSite": "40", "regionalNodesExamined": "14",
                                                  "ajccTnmPathStageGroup": "3A", "ageAtDiagnosis": "079", "rxSummChemo": "03", "rxDateChemo": day(120)]),
        ("colon III chemo day 121", "2", ["primarySite": "C182", "rxSummSurgPrimSite": "40", "regionalNodesExamined": "14",
                                          "ajccTnmPathStageGroup": "3B", "rxSummChemo": "02", "rxDateChemo": day(121)]),
        ("colon III chemo refused", "2", ["primarySite": "C182", "rxSummSurgPrimSite": "40", "regionalNodesExamined": "14",
                                          "ajccTnmPathStageGroup": "3C", "rxSummChemo": "87"]),
        ("colon III age 80", "2", ["primarySite": "C182", "rxSummSurgPrimSite": "40", "regionalNodesExamined": "14",
                                   "ajccTnmPathStageGroup": "3A", "ageAtDiagnosis": "080", "rxSummChemo": "03", "rxDateChemo": day(30)]),
        ("breast BCS age 69 RT day 365", "2", ["primarySite": "C504", "histologicTypeIcdO3": "8500", "rxSummSurgPrimSite": "22",
                                               "ajccTnmPathStageGroup": "1A", "ajccTnmPathT": "T1b", "ajccTnmPathN": "N0", "ajccTnmPathM": "M0",
                                               "ageAtDiagnosis": "069", "rxDateRadiation": day(365), "rxSummDxStgProc": "02",
                                               "estrogenReceptorSummary": "0", "progesteroneRecepSummary": "0"]),
        ("breast BCS RT day 366", "2", ["primarySite": "C504", "histologicTypeIcdO3": "8500", "rxSummSurgPrimSite": "22",
                                        "ajccTnmPathStageGroup": "2A", "rxDateRadiation": day(366), "rxSummDxStgProc": "00",
                                        "estrogenReceptorSummary": "0", "progesteroneRecepSummary": "0", "rxSummChemo": "03", "rxDateChemo": day(120)]),
        ("breast BCS age 70", "2", ["primarySite": "C504", "histologicTypeIcdO3": "8500", "rxSummSurgPrimSite": "22",
                                    "ajccTnmPathStageGroup": "1A", "ageAtDiagnosis": "070", "rxDateRadiation": day(30), "rxSummDxStgProc": "02"]),
        ("breast mastectomy ER+ T1c", "2", ["primarySite": "C504", "histologicTypeIcdO3": "8500", "rxSummSurgPrimSite": "40",
                                           "ajccTnmPathStageGroup": "1A", "ajccTnmPathT": "T1c", "ajccTnmPathN": "N0", "ajccTnmPathM": "M0",
                                           "estrogenReceptorSummary": "1", "rxSummHormone": "01", "rxDateHormone": day(200), "rxSummDxStgProc": "02"]),
        ("breast ER- PR- 2A single agent", "2", ["primarySite": "C504", "histologicTypeIcdO3": "8500", "rxSummSurgPrimSite": "40",
                                                 "ajccTnmPathStageGroup": "2A", "estrogenReceptorSummary": "0", "progesteroneRecepSummary": "0",
                                                 "rxSummChemo": "02", "rxDateChemo": day(40), "rxSummDxStgProc": "02"]),
        ("breast man BCS", "1", ["primarySite": "C504", "histologicTypeIcdO3": "8500", "rxSummSurgPrimSite": "22",
                                 "ajccTnmPathStageGroup": "1A", "rxDateRadiation": day(30), "rxSummDxStgProc": "02"]),
        ("breast in situ", "2", ["primarySite": "C504", "histologicTypeIcdO3": "8500", "behaviorCodeIcdO3": "2", "rxSummDxStgProc": "00"]),
    ]

    /// measure → (denominator labels, missing labels), worked out from the definitions.
    static let expected: [String: (denominator: Set<String>, missing: Set<String>)] = [
        "12RLN": (["colon 12 nodes", "colon 11 nodes", "colon 2023 code", "colon III age 79 chemo day 120", "colon III chemo day 121",
                   "colon III chemo refused", "colon III age 80"], ["colon 11 nodes"]),
        "ACT": (["colon III age 79 chemo day 120", "colon III chemo day 121", "colon III chemo refused"], ["colon III chemo day 121"]),
        "BCSRT": (["breast BCS age 69 RT day 365", "breast BCS RT day 366"], ["breast BCS RT day 366"]),
        "HT": (["breast mastectomy ER+ T1c"], []),
        "MAC": (["breast BCS RT day 366", "breast ER- PR- 2A single agent"], ["breast ER- PR- 2A single agent"]),
        "nBx": (["breast BCS age 69 RT day 365", "breast BCS RT day 366", "breast BCS age 70", "breast mastectomy ER+ T1c",
                 "breast ER- PR- 2A single agent", "breast man BCS", "breast in situ"], ["breast BCS RT day 366", "breast in situ"]),
    ]

    @Test func everyMeasureCountsTheHandWorkedCohort() async throws {
        try await WorkflowTests.withEmptyRegistry { registry, db, _ in
            let repository = AbstractRepository(connection: db)
            var labels: [Int: String] = [:]
            for (i, c) in Self.cases.enumerated() {
                let patient = try repository.createPatient(items: [
                    "patientIdNumber": String(format: "%08d", i + 1), "dateOfBirth": "19600101", "sexAssignedAtBirth": c.1, "vitalStatus": "1",
                    "dateOfLastContact": "20250601", "race1": "01"], registryId: "", userId: nil)
                var items = ["histologicTypeIcdO3": "8140", "behaviorCodeIcdO3": "3", "dateOfDiagnosis": Self.dx, "classOfCase": "10",
                             "sequenceNumberHospital": "00", "ageAtDiagnosis": "064", "countyAtDx": "045", "typeOfReportingSource": "1"]
                items.merge(c.2) { $1 }
                labels[try repository.createTumor(patientId: patient, items: items, userId: nil)] = c.0
            }
            let dashboard = try await registry.qualityDashboard(year: 2024, asOf: CalendarDate("2025-06-30")!,
                                                                referenceDate: CalendarDate("2020-01-01")!, by: .operatingSystemAccount())
            for result in dashboard.measures {
                let want = try #require(Self.expected[result.measure.id])
                let missing = Set(result.missing.compactMap { labels[$0] })
                #expect(result.value.denominator == want.denominator.count, "\(result.measure.id) denominator")
                #expect(missing == want.missing, "\(result.measure.id) missing \(missing.sorted())")
                #expect(result.value.numerator == want.denominator.count - want.missing.count, "\(result.measure.id) numerator")
            }
            // Indicators: every tumor of the year known; no unknown county; timeliness has no dated cases here.
            let unknownCounty = try #require(dashboard.indicators.first { $0.name == "Unknown county" })
            #expect(unknownCounty.value.numerator == 0 && unknownCounty.value.denominator == Self.cases.count)
            // The 95% intervals are SciPy's Wilson intervals.
            let inputs = dashboard.measures.filter { $0.value.denominator > 0 }.map { [$0.value.numerator, $0.value.denominator] }
            let want = try #require(try Python.json("""
                import json, sys
                from scipy.stats import binomtest
                out = []
                for k, n in json.load(sys.stdin):
                    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
                    out.append([ci.low, ci.high])
                print(json.dumps(out))
                """, input: inputs) as? [[Double]])
            for (result, interval) in zip(dashboard.measures.filter { $0.value.denominator > 0 }, want) {
                let got = try #require(result.value.interval)
                #expect(abs(got.lower - interval[0]) < 1e-9 && abs(got.upper - interval[1]) < 1e-9, "\(result.measure.id)")
            }
            let table = try #require(dashboard.document().tables.first { $0.name == "measures" })
            #expect(table.rows.count == 6 && table.rows.allSatisfy { $0.last?.isEmpty == false }, "each measure's definition beside it")
        }
    }
}
