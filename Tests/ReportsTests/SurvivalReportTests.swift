import Foundation
import Reports
import Survival
import Testing

@Suite("Survival report rendering")
struct SurvivalReportTests {
    /// Five cases: deaths at 2, 4 and 6 months, censored at 3 and 8. By hand (Kaplan-Meier, product of (1 - d/n)):
    /// S(2) = 4/5 = 0.8; S(4) = 0.8 × (1 - 1/3) = 0.5333…; S(6) = 0.5333… × (1 - 1/2) = 0.2666…
    static let cases = [SurvivalCase(time: 2, event: true), SurvivalCase(time: 3, event: false), SurvivalCase(time: 4, event: true),
                        SurvivalCase(time: 6, event: true), SurvivalCase(time: 8, event: false)]

    @Test func csvRowsCarryTheKaplanMeierEstimatesAtTheAskedTimes() throws {
        var lines: [String] = []
        var report = SurvivalReport(format: .csv, method: "km", out: { lines.append($0) }, err: { _ in })
        report.kaplanMeier(group: "All cases", curve: try KaplanMeierCurve(Self.cases), times: [2, 5, 7])
        report.finish()
        #expect(lines.first == "group,time_months,n_risk,n_event,survival,std_err,lower95,upper95")
        let survival = lines.dropFirst().map { Double($0.split(separator: ",")[4])! }
        #expect(abs(survival[0] - 0.8) < 1e-12 && abs(survival[1] - 0.8 * 2 / 3) < 1e-12 && abs(survival[2] - 0.8 * 2 / 3 / 2) < 1e-12)
        #expect(lines.dropFirst().map { String($0.split(separator: ",")[2]) } == ["5", "2", "1"])  // at risk at 2, 5 and 7 months
    }

    @Test func notesGoBesideTheCSVNotIntoIt() {
        var out: [String] = [], err: [String] = []
        var report = SurvivalReport(format: .csv, method: "km", out: { out.append($0) }, err: { err.append($0) })
        report.note("excluded: 3 death certificate or autopsy only")
        #expect(out.isEmpty && err == ["excluded: 3 death certificate or autopsy only"])
    }

    @Test func thePlotIsAnSVGWithOneCurvePerGroup() throws {
        let plot = SurvivalPlot(title: "Observed survival", curves: [.init(label: "Breast", curve: try KaplanMeierCurve(Self.cases)),
                                                                     .init(label: "Lung", curve: try KaplanMeierCurve(Array(Self.cases.prefix(3))))])
        let svg = plot.svg()
        #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"))
        #expect(svg.contains("Breast") && svg.contains("Lung") && svg.contains("Observed survival"))
    }

    /// The labels of `<text>` elements of a class (nil: the unclassed axis labels anchored in the middle, i.e. x ticks).
    static func texts(_ svg: String, class name: String?) -> [String] {
        svg.split(separator: "\n").filter { line in
            line.hasPrefix("<text") && line.contains("text-anchor=\"middle\"") && (name.map { line.contains("class=\"\($0)\"") } ?? !line.contains("class="))
                && !line.contains("font-weight")
        }.compactMap { line in
            guard let open = line.range(of: ">"), let close = line.range(of: "</text>") else { return nil }
            return String(line[open.upperBound..<close.lowerBound])
        }
    }

    /// Five years of follow-up: ticks every 12 months, a 95% band, numbers at risk at each tick counted here from the
    /// cases themselves (time at or after the tick), censor marks thinned, the axis above 100% when a curve is.
    @Test func thePlotIsCommitteeReady() throws {
        var cases: [SurvivalCase] = []
        for i in 0..<3_000 { cases.append(SurvivalCase(time: Double(i + 1) / 50, event: i % 3 == 0)) }  // 3,000 distinct times to 60 months
        let plot = SurvivalPlot(title: "Five-year survival", curves: [.init(label: "All", curve: try KaplanMeierCurve(cases))])
        let svg = plot.svg()
        #expect(Self.texts(svg, class: nil).filter { $0.allSatisfy(\.isNumber) } == ["0", "12", "24", "36", "48", "60"])
        #expect(svg.contains("class=\"band\"") && svg.contains("95% confidence band"))
        let expectedAtRisk = [0.0, 12, 24, 36, 48, 60].map { t in String(cases.filter { $0.time >= t }.count) }
        #expect(Self.texts(svg, class: "risk") == expectedAtRisk)
        #expect(svg.components(separatedBy: "class=\"censor\"").count - 1 <= 300)  // 2,000 censorings, one mark per 2 pixels at most
        // A net-survival curve above 100% stays in the frame; a curve without censoring has no "censored" legend.
        let net = SurvivalPlot(title: "Net", curves: [.init(label: "Thyroid", steps: [(0, 1), (12, 1.04), (60, 1.12)], censorings: [])]).svg()
        #expect(net.contains(">120%<") && !net.contains("censored") && !net.contains("At risk"))
    }
}

@Suite("Report documents and their templates")
struct ReportDocumentTests {
    @Test func theEmbeddedTemplatesAreTheFilesUnderReports() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("reports")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mustache") }
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let name = String(file.dropLast(".mustache".count))
            #expect(ReportTemplates.embedded[name].map { $0 + "\n" } == text, "reports/\(file) differs from the binary's copy: run scripts/gen-reports")
        }
        #expect(ReportTemplates.embedded.count == files.count)
    }

    @Test func htmlEscapesEveryValueAndKeepsTheTablesOrder() {
        let document = ReportDocument(title: "Sites <2026>", marking: "Internal", sections: [
            .table(ReportTable(title: "By site", counts: "tumors diagnosed 2024", columns: ["Site", "Cases"],
                               rows: [["<script>alert(1)</script>", "17"], ["Lung & bronchus", "16"]])),
            .text("Counts under 16 are suppressed in public reports."),
        ])
        let html = document.html()
        #expect(html.contains("Sites &lt;2026&gt;") && html.contains("&lt;script&gt;") && !html.contains("<script>alert"))
        #expect(html.contains("Lung &amp; bronchus"))
        let first = html.range(of: "By site")!, second = html.range(of: "Counts under 16")!
        #expect(first.lowerBound < second.lowerBound)
    }

    @Test func csvQuotesFieldsAsRFC4180Says() {
        let table = ReportTable(title: "t", columns: ["Site", "Note"], rows: [["Colon, rectum", "said \"16\""], ["Lung", "two\nlines"]])
        #expect(table.csv == "Site,Note\r\n\"Colon, rectum\",\"said \"\"16\"\"\"\r\nLung,\"two\nlines\"\r\n")
    }
}
