import Foundation
import Survival

/// Writes survival results as a readable table, CSV (one header, rows only on the main output; notes go to the side
/// output) or one JSON document.
public struct SurvivalReport {
    public enum Format: String, CaseIterable, Sendable { case table, csv, json, html }

    let format: Format
    let method: String
    /// Where results go (standard output by default) and where notes go beside CSV (standard error).
    let out: (String) -> Void
    let err: (String) -> Void
    private var csvHeaderWritten = false
    private var json: [String: Any] = [:]
    private var jsonGroups: [[String: Any]] = []
    private var notes: [String] = []
    /// The HTML report's sections, in order.
    private var sections: [ReportDocument.Section] = []

    public init(format: Format, method: String, out: @escaping (String) -> Void = { Swift.print($0) },
                err: @escaping (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) {
        self.format = format
        self.method = method
        self.out = out
        self.err = err
        json["method"] = method
    }

    /// A remark: on standard error for CSV, in the JSON document, printed for tables.
    public mutating func note(_ text: String) {
        switch format {
        case .csv: err(text)
        case .json, .html: notes.append(text)
        case .table: out(text)
        }
    }

    /// A figure (the survival plot) for the HTML report; other formats write plots to their own file.
    public mutating func figure(svg: String, caption: String) {
        if format == .html { sections.append(.figure(svg: svg, caption: caption)) }
    }

    private static func percentCell(_ value: Double?) -> String { percent(value).trimmingCharacters(in: .whitespaces) }
    private static func interval(_ lower: Double?, _ upper: Double?) -> String {
        lower == nil && upper == nil ? "–" : "\(percentCell(lower)) – \(percentCell(upper))"
    }

    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "NA" }
        return "\(value)"
    }

    static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "    -" }
        return String(format: "%5.1f", value * 100)
    }

    private mutating func csvHeader(_ header: String) {
        if !csvHeaderWritten { out(header); csvHeaderWritten = true }
    }

    public mutating func kaplanMeier(group: String, curve: KaplanMeierCurve, times: [Double]) {
        // Times past a group's last follow-up are shown ("–", or 0% when everybody died), not dropped.
        let points = curve.summary(at: times, extendingPastFollowUp: true)
        let median = curve.median
        switch format {
        case .csv:
            csvHeader("group,time_months,n_risk,n_event,survival,std_err,lower95,upper95")
            for p in points {
                out([csvField(group), Self.months(p.time), String(p.atRisk), String(p.events), Self.number(p.survival),
                       Self.number(p.stdErr), Self.number(p.lower), Self.number(p.upper)].joined(separator: ","))
            }
        case .table:
            out("\n\(group): \(curve.caseCount) cases, \(curve.eventCount) deaths; median survival "
                  + "\(median.estimate.map { Self.months($0) } ?? "not reached") (95% CI \(median.lower.map { Self.months($0) } ?? "-")"
                  + " to \(median.upper.map { Self.months($0) } ?? "-"))")
            out("  months  at risk  deaths  survival %  std err %   95% CI %")
            for p in points {
                out(String(format: "  %6@  %7d  %6d  %@       %@      %@ - %@", Self.months(p.time), p.atRisk, p.events,
                             Self.percent(p.survival), Self.percent(p.stdErr), Self.percent(p.lower), Self.percent(p.upper)))
            }
        case .html:
            let medianText = median.estimate.map { Self.months($0) + " months" } ?? "not reached"
            sections.append(.table(ReportTable(
                title: "\(group): observed survival (Kaplan-Meier)",
                counts: "\(curve.caseCount) cases, \(curve.eventCount) deaths; median survival \(medianText)",
                columns: ["Months", "At risk", "Deaths", "Survival %", "Std err %", "95% CI %"],
                rows: points.map { [Self.months($0.time), String($0.atRisk), String($0.events), Self.percentCell($0.survival),
                                    Self.percentCell($0.stdErr), Self.interval($0.lower, $0.upper)] })))
        case .json:
            jsonGroups.append(["group": group, "cases": curve.caseCount, "deaths": curve.eventCount,
                               "median": jsonNumber(median.estimate), "medianLower": jsonNumber(median.lower),
                               "medianUpper": jsonNumber(median.upper),
                               "points": points.map { ["time_months": $0.time, "n_risk": $0.atRisk, "n_event": $0.events,
                                                       "survival": jsonNumber($0.survival), "std_err": jsonNumber($0.stdErr),
                                                       "lower95": jsonNumber($0.lower), "upper95": jsonNumber($0.upper)] }])
        }
    }

    public mutating func logRank(_ test: LogRankTest, stratified: Bool = false) {
        let log10p = test.logPValue / Foundation.log(10)
        let p = test.pValue > 0 ? String(format: "%.3g", test.pValue) : String(format: "1e%.1f", log10p)
        let text = String(format: "%@log-rank test: chi-square %.3f, %d df, p = %@", stratified ? "stratified " : "",
                          test.chiSquare, test.degreesOfFreedom, p)
        switch format {
        case .csv: err(text)
        case .table:
            out("\n" + text)
            for g in test.groups { out(String(format: "  %@: observed %d, expected %.1f", g.name, g.observed, g.expected)) }
        case .html:
            sections.append(.table(ReportTable(title: stratified ? "Stratified log-rank test" : "Log-rank test", counts: text,
                                               columns: ["Group", "Observed deaths", "Expected deaths"],
                                               rows: test.groups.map { [$0.name, String($0.observed), String(format: "%.1f", $0.expected)] })))
        case .json:
            json["logRank"] = ["stratified": stratified, "chiSquare": test.chiSquare, "df": test.degreesOfFreedom, "p": test.pValue, "log10p": log10p,
                               "groups": test.groups.map { ["group": $0.name, "observed": $0.observed, "expected": $0.expected] }]
        }
    }

    public mutating func lifeTable(group: String, table: ActuarialLifeTable, conf: ConfidenceType) {
        let rows = table.intervals.map { i -> [String: Any] in
            let bounds = limits(i.cumulativeSurvival, stdErr: i.cumulativeStdErr, conf: conf)
            return ["start": i.start, "end": i.end, "entering": i.entering, "deaths": i.deaths, "withdrawn": i.withdrawn,
                    "effective": i.effectiveAtRisk, "interval": i.intervalSurvival, "cumulative": i.cumulativeSurvival,
                    "std_err": i.cumulativeStdErr, "lower95": jsonNumber(bounds?.lower), "upper95": jsonNumber(bounds?.upper)]
        }
        switch format {
        case .csv:
            csvHeader("group,interval_start_months,interval_end_months,n_entering,n_deaths,n_withdrawn,n_effective,interval_survival,cumulative_survival,std_err,lower95,upper95")
            for r in rows {
                out(([csvField(group)] + ["start", "end", "entering", "deaths", "withdrawn", "effective", "interval", "cumulative",
                                            "std_err", "lower95", "upper95"].map { Self.text(r[$0]) }).joined(separator: ","))
            }
        case .table:
            out("\n\(group): actuarial life table")
            out("  interval   entering  deaths  withdrawn  interval %  cumulative %   95% CI %")
            for r in rows {
                out(String(format: "  %4@-%-4@  %8d  %6d  %9d     %@        %@     %@ - %@", Self.months(r["start"] as! Double),
                             Self.months(r["end"] as! Double), r["entering"] as! Int, r["deaths"] as! Int, r["withdrawn"] as! Int,
                             Self.percent(r["interval"] as? Double), Self.percent(r["cumulative"] as? Double),
                             Self.percent(r["lower95"] as? Double), Self.percent(r["upper95"] as? Double)))
            }
        case .html:
            sections.append(.table(ReportTable(
                title: "\(group): actuarial life table", columns: ["Interval (months)", "Entering", "Deaths", "Withdrawn", "Interval %", "Cumulative %", "95% CI %"],
                rows: rows.map { r in ["\(Self.months(r["start"] as! Double))–\(Self.months(r["end"] as! Double))", Self.text(r["entering"]),
                                       Self.text(r["deaths"]), Self.text(r["withdrawn"]), Self.percentCell(r["interval"] as? Double),
                                       Self.percentCell(r["cumulative"] as? Double), Self.interval(r["lower95"] as? Double, r["upper95"] as? Double)] })))
        case .json:
            jsonGroups.append(["group": group, "intervals": rows])
        }
    }

    public mutating func relative(group: String, estimate: EdererIIEstimate, daysPerMonth: Double, conf: ConfidenceType) {
        let rows = estimate.intervals.map { i -> [String: Any] in
            let bounds = limits(i.relative, stdErr: i.relativeStdErr, conf: conf)
            return ["start": i.start / daysPerMonth, "end": i.end / daysPerMonth, "entering": i.entering, "deaths": i.deaths,
                    "withdrawn": i.withdrawn, "observed": i.observed, "expected": i.expected, "relative": i.relative,
                    "std_err": i.relativeStdErr, "lower95": jsonNumber(bounds?.lower), "upper95": jsonNumber(bounds?.upper)]
        }
        switch format {
        case .csv:
            csvHeader("group,interval_start_months,interval_end_months,n_entering,n_deaths,n_withdrawn,observed,expected,relative,std_err,lower95,upper95")
            for r in rows {
                out(([csvField(group)] + ["start", "end", "entering", "deaths", "withdrawn", "observed", "expected", "relative",
                                            "std_err", "lower95", "upper95"].map { Self.text(r[$0]) }).joined(separator: ","))
            }
        case .table:
            out("\n\(group): relative survival (Ederer II)")
            out("  to month  entering  deaths  observed %  expected %  relative %   95% CI %")
            for r in rows {
                out(String(format: "  %8@  %8d  %6d     %@       %@       %@     %@ - %@", Self.months(r["end"] as! Double),
                             r["entering"] as! Int, r["deaths"] as! Int, Self.percent(r["observed"] as? Double),
                             Self.percent(r["expected"] as? Double), Self.percent(r["relative"] as? Double),
                             Self.percent(r["lower95"] as? Double), Self.percent(r["upper95"] as? Double)))
            }
        case .html:
            sections.append(.table(ReportTable(
                title: "\(group): relative survival (Ederer II)", columns: ["To month", "Entering", "Deaths", "Observed %", "Expected %", "Relative %", "95% CI %"],
                rows: rows.map { r in [Self.months(r["end"] as! Double), Self.text(r["entering"]), Self.text(r["deaths"]),
                                       Self.percentCell(r["observed"] as? Double), Self.percentCell(r["expected"] as? Double),
                                       Self.percentCell(r["relative"] as? Double), Self.interval(r["lower95"] as? Double, r["upper95"] as? Double)] })))
        case .json:
            jsonGroups.append(["group": group, "intervals": rows])
        }
    }

    public mutating func net(group: String, estimate: PoharPermeEstimate, times: [Double], daysPerMonth: Double, conf: ConfidenceType) {
        let rows = times.map { t -> [String: Any] in
            let value = estimate.survival(at: t * daysPerMonth)
            let row = estimate.rows.last { $0.time <= t * daysPerMonth }
            let bounds = limits(value.survival, stdErr: value.stdErr, conf: conf)
            return ["time": t, "n_risk": estimate.rows.first { $0.time >= t * daysPerMonth }?.atRisk ?? 0,
                    "survival": value.survival, "std_err": row == nil ? 0 : value.stdErr,
                    "lower95": jsonNumber(bounds?.lower), "upper95": jsonNumber(bounds?.upper)]
        }
        switch format {
        case .csv:
            csvHeader("group,time_months,n_risk,net_survival,std_err,lower95,upper95")
            for r in rows {
                out(([csvField(group)] + ["time", "n_risk", "survival", "std_err", "lower95", "upper95"].map { Self.text(r[$0]) })
                    .joined(separator: ","))
            }
        case .table:
            out("\n\(group): net survival (Pohar-Perme)")
            out("  months  at risk  net survival %   95% CI %")
            for r in rows {
                out(String(format: "  %6@  %7d        %@       %@ - %@", Self.months(r["time"] as! Double), r["n_risk"] as! Int,
                             Self.percent(r["survival"] as? Double), Self.percent(r["lower95"] as? Double), Self.percent(r["upper95"] as? Double)))
            }
        case .html:
            sections.append(.table(ReportTable(
                title: "\(group): net survival (Pohar-Perme)", columns: ["Months", "At risk", "Net survival %", "95% CI %"],
                rows: rows.map { r in [Self.months(r["time"] as! Double), Self.text(r["n_risk"]), Self.percentCell(r["survival"] as? Double),
                                       Self.interval(r["lower95"] as? Double, r["upper95"] as? Double)] })))
        case .json:
            jsonGroups.append(["group": group, "points": rows])
        }
    }

    /// Age-standardised survival at each time from per-age-group estimates (`estimate(ageGroup, time)`, nil when a
    /// group has no cases, which leaves the standardised value out).
    public mutating func standardized(group: String, standard: AgeStandard, times: [Double],
                               estimate: (Int, Double) throws -> (survival: Double, stdErr: Double)?) throws {
        var rows: [[String: Any]] = []
        for t in times {
            let perGroup = try (0..<5).map { try estimate($0, t) }
            guard let value = standard.standardize(perGroup) else {
                note("\(group): no age-standardised value at \(Self.months(t)) months (an ICSS age group has no cases)")
                continue
            }
            rows.append(["time": t, "survival": value.survival, "std_err": value.stdErr])
        }
        let label = "\(group) (age-standardised, \(standard.rawValue.uppercased()))"
        switch format {
        case .csv:
            for r in rows { err("\(label),\(Self.text(r["time"])),\(Self.text(r["survival"])),\(Self.text(r["std_err"]))") }
        case .table:
            out("  \(label):")
            for r in rows {
                out(String(format: "    %6@ months  %@ %% (std err %@ %%)", Self.months(r["time"] as! Double),
                             Self.percent(r["survival"] as? Double), Self.percent(r["std_err"] as? Double)))
            }
        case .html:
            sections.append(.table(ReportTable(title: label, columns: ["Months", "Survival %", "Std err %"],
                                               rows: rows.map { r in [Self.months(r["time"] as! Double), Self.percentCell(r["survival"] as? Double),
                                                                      Self.percentCell(r["std_err"] as? Double)] })))
        case .json:
            jsonGroups.append(["group": label, "standard": standard.rawValue, "points": rows])
        }
    }

    public func finish() {
        if format == .html {
            let methods = ["km": "Observed survival (Kaplan-Meier)", "actuarial": "Observed survival (life table)",
                           "relative": "Relative survival (Ederer II)", "net": "Net survival (Pohar-Perme)"]
            var document = ReportDocument(title: methods[method] ?? "Survival", subtitle: notes.first ?? "",
                                          marking: "Internal: not for publication (small counts are not suppressed)", sections: sections)
            document.sections += notes.dropFirst().map { .text($0) }
            out(document.html())
            return
        }
        guard format == .json else { return }
        var document = json
        document["groups"] = jsonGroups
        document["notes"] = notes
        if let data = try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys]) {
            out(String(decoding: data, as: UTF8.self))
        }
    }

    /// Limits for a survival value with its standard error (Greenwood on S), on the chosen scale.
    private func limits(_ survival: Double, stdErr: Double, conf: ConfidenceType) -> (lower: Double, upper: Double)? {
        guard survival > 0 else { return nil }
        let z = normalQuantile(0.975), logSE = stdErr / survival
        switch conf {
        case .plain: return (Swift.max(0, survival - z * stdErr), Swift.min(1, survival + z * stdErr))
        case .log: return (Foundation.exp(Foundation.log(survival) - z * logSE), Swift.min(1, Foundation.exp(Foundation.log(survival) + z * logSE)))
        case .logLog:
            guard survival < 1 else { return nil }
            let centre = Foundation.log(-Foundation.log(survival)), shift = z * logSE / Foundation.log(survival)
            return (Foundation.exp(-Foundation.exp(centre - shift)), Foundation.exp(-Foundation.exp(centre + shift)))
        }
    }

    private func jsonNumber(_ value: Double?) -> Any { value.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }
    private func csvField(_ text: String) -> String {
        text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
    static func text(_ value: Any?) -> String {
        switch value {
        case let d as Double: return number(d)
        case let i as Int: return String(i)
        default: return "NA"
        }
    }
    static func months(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)" }
}
