import Foundation
import Postgres
import Registry
import RegistryStore
import Reports
import SyntheticRegistry
import TestSupport
import Testing

/// The annual report against counts the test makes with SQL of its own from the same store, the public version's
/// suppression, and who sees names.
@Suite("Annual report: tables against independent SQL, public suppression", .serialized)
struct AnnualReportTests {
    let actor = ActingUser(userId: nil, username: "os:committee")
    static let year = 2024

    func withRegistry(_ body: @Sendable (Registry, PostgresConnection) async throws -> Void) async throws {
        try await WorkflowTests.withSyntheticRegistry(patients: 2_500, seed: 15) { registry, db, _ in try await body(registry, db) }
    }

    func count(_ db: PostgresConnection, _ whereClause: String, _ bindings: PostgresBindings = []) throws -> Int {
        try db.query("SELECT count(*)::int FROM tumor t JOIN patient p ON p.id = t.patient_id WHERE t.diagnosis_year = \(Self.year) AND "
                     + whereClause, bindings)[0].decode(Int.self, at: 0)
    }

    func table(_ document: ReportDocument, _ name: String) throws -> ReportTable {
        try #require(document.tables.first { $0.name == name }, "no table \(name)")
    }

    func row(_ table: ReportTable, _ label: String) throws -> [String: ReportCell] {
        let cells = try #require(table.cells.first { $0.first == .text(label) }, "no row \(label) in \(table.name)")
        return Dictionary(uniqueKeysWithValues: zip(table.columns, cells))
    }

    /// SEER site recode 2023 groups counted independently: sites, histologies left out, behaviors 2 and 3.
    static let recodeExclusions = "NOT (t.histologic_type::int BETWEEN 9050 AND 9055 OR t.histologic_type = '9140' "
        + "OR t.histologic_type::int BETWEEN 9590 AND 9993) AND t.behavior IN ('2', '3')"

    @Test func everyInternalTableAgreesWithTheStore() async throws {
        try await withRegistry { registry, db in
            let document = try await registry.annualReport(.init(year: Self.year, isPublic: false, includeNames: true), by: actor)
            #expect(document.marking.hasPrefix("Internal"))
            let sites = try table(document, "primary-sites")
            let all = try row(sites, "All sites")
            let stage = "coalesce(nullif(t.summary_stage_2018, ''), t.items->>'759')"
            let expected: [(String, String)] = [
                ("Total", "true"),
                ("Male", "p.sex_assigned_at_birth = '1'"), ("Female", "p.sex_assigned_at_birth = '2'"),
                ("Other or unknown sex", "coalesce(p.sex_assigned_at_birth, '') NOT IN ('1', '2')"),
                ("Analytic", "t.class_of_case IN ('00','10','11','12','13','14','20','21','22')"),
                ("Non-analytic", "coalesce(t.class_of_case, '') NOT IN ('00','10','11','12','13','14','20','21','22')"),
                ("In situ (0)", "\(stage) = '0'"), ("Localized (1)", "\(stage) = '1'"), ("Regional, direct extension (2)", "\(stage) = '2'"),
                ("Regional, nodes (3)", "\(stage) = '3'"), ("Distant (7)", "\(stage) = '7'"), ("Unknown (9)", "\(stage) = '9'"),
                ("Not applicable (8) or blank", "coalesce(\(stage), '') NOT IN ('0','1','2','3','7','9')"),
            ]
            for (column, condition) in expected {
                #expect(all[column] == .count(try count(db, condition)), "All sites, \(column)")
            }
            #expect(try count(db, "true") > 50)
            // Site rows: breast (C500-C509) and lung (C340-C349) by the recode's own definition.
            for (label, range) in [("Breast", ("C500", "C509")), ("Lung and Bronchus", ("C340", "C349"))] {
                let r = try row(sites, label)
                let site = "t.primary_site BETWEEN '\(range.0)' AND '\(range.1)' AND \(Self.recodeExclusions)"
                #expect(r["Total"] == .count(try count(db, site)), "\(label) total")
                #expect(r["Female"] == .count(try count(db, site + " AND p.sex_assigned_at_birth = '2'")), "\(label) female")
                #expect(r["Distant (7)"] == .count(try count(db, site + " AND \(stage) = '7'")), "\(label) distant")
            }
            // Rows add up to the all-sites row in every column.
            let body = sites.cells.dropLast()
            for (c, column) in sites.columns.enumerated().dropFirst() {
                let sum = body.reduce(0) { if case .count(let n) = $1[c] { return $0 + n } else { return $0 } }
                #expect(all[column] == .count(sum), "column \(column) adds up")
            }
            // Trend: every year's all-sites count.
            let trend = try row(try table(document, "trend"), "All sites")
            for y in (Self.year - 9)...Self.year {
                let n = try db.query("SELECT count(*)::int FROM tumor WHERE diagnosis_year = $1", [y])[0].decode(Int.self, at: 0)
                #expect(trend[String(y)] == .count(n), "trend \(y)")
            }
            // Age by sex: one age group, independently.
            let ages = try row(try table(document, "age-by-sex"), "60-69")
            #expect(ages["Female"] == .count(try count(db, "(t.items->>'230')::int BETWEEN 60 AND 69 AND p.sex_assigned_at_birth = '2'")))
            // County: every county's total.
            let counties = try table(document, "county")
            for r in try db.query("""
                SELECT t.items->>'90', count(*)::int FROM tumor t WHERE t.diagnosis_year = \(Self.year) GROUP BY 1
                """) {
                let county = r.text(at: 0) ?? ""
                #expect(try row(counties, county)["Total"] == .count(try r.decode(Int.self, at: 1)), "county \(county)")
            }
            // Stage percentages of the top sites are the site table's counts over its total.
            let stages = try table(document, "stage-by-site")
            let breast = try row(stages, "Breast"), breastCounts = try row(sites, "Breast")
            if case .count(let total) = breastCounts["Total"], case .count(let local) = breastCounts["Localized (1)"],
               case .number(let percent, _) = breast["Localized (1) %"] {
                #expect(abs(percent - 100 * Double(local) / Double(total)) < 1e-9)
            } else { Issue.record("breast stage cells") }
            // Survival: the top sites' case counts never exceed their malignant first primaries of the cohort years.
            let survival = try table(document, "survival")
            #expect(!survival.cells.isEmpty)
            let lungAll = survival.cells.first { $0[0] == .text("Lung and Bronchus") && $0[1] == .text("All stages") }
            if let lungAll, case .count(let cases) = lungAll[2] {
                let cohort = try db.query("""
                    SELECT count(*)::int FROM tumor t WHERE t.diagnosis_year BETWEEN $1 AND $2 AND t.behavior = '3'
                      AND t.primary_site BETWEEN 'C340' AND 'C349' AND t.sequence_number_central IN ('00', '01')
                    """, [Self.year - 9, Self.year - 1])[0].decode(Int.self, at: 0)
                #expect(cases > 0 && cases <= cohort)
            } else { Issue.record("no lung survival row") }
            // The register: one line per tumor of the year, names for a role that may see them.
            let register = try table(document, "accession-register")
            #expect(register.cells.count == (try count(db, "true")) && register.columns.contains("Patient"))
            // One audit row says a report was read, with counts and no values.
            let audit = try db.query("SELECT action, detail->>'tumors' FROM audit_log WHERE entity = 'annual_report'")
            let yearTumors = try count(db, "true")
            #expect(audit.count == 1 && audit[0].text(at: 0) == "read" && audit[0].text(at: 1) == String(yearTumors))
            // Without names the register has no patient column.
            let noNames = try await registry.annualReport(.init(year: Self.year, isPublic: false, includeNames: false), by: actor)
            #expect(!(try table(noNames, "accession-register")).columns.contains("Patient"))
        }
    }

    @Test func thePublicReportShowsNoSmallCountAndNoIdentifier() async throws {
        try await withRegistry { registry, db in
            let document = try await registry.annualReport(.init(year: Self.year, isPublic: true, includeNames: true), by: actor)
            #expect(document.marking.hasPrefix("Public"))
            #expect(!document.tables.contains { $0.name == "accession-register" })
            var suppressed = 0
            for table in document.tables {
                for cells in table.cells {
                    for cell in cells {
                        if case .count(let n) = cell { #expect(n == 0 || n >= 16, "\(table.name) shows \(n)") }
                        if cell == .suppressed { suppressed += 1 }
                    }
                }
            }
            #expect(suppressed > 0, "a 2,500-patient registry has small cells")
            // No name of any patient appears anywhere in the public files.
            let html = document.html()
            let json = String(decoding: try document.json(), as: UTF8.self)
            for r in try db.query("SELECT name_last FROM patient WHERE length(name_last) > 5 LIMIT 50") {
                let name = r.text(at: 0) ?? ""
                #expect(!html.contains(name) && !json.contains(name))
            }
        }
    }
}
