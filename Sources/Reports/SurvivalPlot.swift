import Foundation
import Survival

/// Draws survival curves as an SVG step plot for a committee's report: months on the x axis in steps of 12 (3 or 6 for
/// short follow-up, 24 or 60 for long), one coloured curve per group with its 95% confidence band and tick marks at
/// censoring times (at most one per pixel, so large groups do not draw a solid band), the y axis extended above 100%
/// when a relative or net curve goes there, a legend, and the numbers at risk at each tick under the plot; sized for a
/// printed page and readable in grey scale (each curve also has its own dash pattern).
public struct SurvivalPlot: Sendable {
    public struct Curve: Sendable {
        public var label: String
        /// (time, survival) steps starting at (0, 1).
        public var steps: [(time: Double, survival: Double)]
        public var censorings: [(time: Double, survival: Double)]
        /// The 95% confidence limits from each step on (empty: no band).
        public var band: [(time: Double, lower: Double, upper: Double)] = []
        /// Cases under observation: the number at risk at time t is those whose time is t or later.
        public var cases: Int?
        public var atRisk: [(time: Double, atRisk: Int)] = []

        public init(label: String, steps: [(time: Double, survival: Double)], censorings: [(time: Double, survival: Double)]) {
            self.label = label
            self.steps = steps
            self.censorings = censorings
        }

        /// The curve of a Kaplan-Meier estimate, with its confidence band and numbers at risk.
        public init(label: String, curve: KaplanMeierCurve) {
            self.label = label
            steps = [(0, 1)] + curve.rows.map { ($0.time, $0.survival) }
            censorings = curve.rows.filter { $0.censored > 0 }.map { ($0.time, $0.survival) }
            band = curve.rows.compactMap { row in curve.limits(row).map { (row.time, $0.lower, $0.upper) } }
            cases = curve.caseCount
            atRisk = curve.rows.map { ($0.time, $0.atRisk) }
        }

        /// The number at risk at time t (nil when the curve does not know it).
        func atRisk(at t: Double) -> Int? {
            guard let cases else { return nil }
            if t <= 0 { return cases }
            return atRisk.first { $0.time >= t }?.atRisk ?? 0
        }
    }

    public var title: String
    public var xLabel = "Months since diagnosis"
    public var yLabel = "Survival"
    public var curves: [Curve]

    public init(title: String, curves: [Curve]) {
        self.title = title
        self.curves = curves
    }

    static let colours = ["#1b5e9f", "#c0392b", "#2e7d32", "#8e44ad", "#d35400", "#00838f", "#6d4c41", "#37474f"]
    static let dashes = ["", "8 4", "2 3", "10 3 2 3", "6 2 2 2 2 2", "1 2", "12 6", "4 4"]

    public func svg(width: Double = 800, height: Double = 520) -> String {
        let withRisk = curves.contains { $0.cases != nil }
        let riskRows = withRisk ? Double(curves.count) * 18 + 30 : 0
        // Room on the left for the at-risk table's group names.
        let left = withRisk ? 110.0 : 70.0, right = 190.0, top = 50.0, bottom = 60.0 + riskRows
        let totalHeight = height + riskRows
        let plotWidth = width - left - right, plotHeight = totalHeight - top - bottom
        let maxTime = Swift.max(1, curves.flatMap { $0.steps.map(\.time) + $0.censorings.map(\.time) }.max() ?? 1)
        let tickStep = Self.monthStep(maxTime)
        let xMax = (maxTime / tickStep).rounded(.up) * tickStep
        // Relative and net survival may pass 100%: the axis goes up to the next 10% above the highest point.
        let highest = curves.flatMap { $0.steps.map(\.survival) + $0.band.map(\.upper) }.filter(\.isFinite).max() ?? 1
        let yMax = Swift.max(1, (highest * 10).rounded(.up) / 10)
        func x(_ t: Double) -> Double { left + Swift.min(t, xMax) / xMax * plotWidth }
        func y(_ s: Double) -> Double { top + (1 - Swift.min(Swift.max(s, 0), yMax) / yMax) * plotHeight }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(totalHeight))" viewBox="0 0 \(f(width)) \(f(totalHeight))" \
            font-family="Helvetica, Arial, sans-serif" font-size="13">
            <title>\(escape(title))</title>
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(left))" y="28" font-size="16" font-weight="bold">\(escape(title))</text>

            """
        // Grid, ticks and axis labels.
        for i in 0...Int((yMax * 10).rounded()) {
            let s = Double(i) / 10
            out += "<line x1=\"\(f(left))\" y1=\"\(f(y(s)))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y(s)))\" stroke=\"\(i == 10 ? "#b0b0b0" : "#e0e0e0")\"/>\n"
            out += "<text x=\"\(f(left - 8))\" y=\"\(f(y(s) + 4))\" text-anchor=\"end\">\(i * 10)%</text>\n"
        }
        var ticks: [Double] = []
        var t = 0.0
        while t <= xMax + 1e-9 { ticks.append(t); t += tickStep }
        for t in ticks {
            out += "<line x1=\"\(f(x(t)))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(x(t)))\" y2=\"\(f(top + plotHeight + 5))\" stroke=\"black\"/>\n"
            out += "<text x=\"\(f(x(t)))\" y=\"\(f(top + plotHeight + 20))\" text-anchor=\"middle\">\(Self.label(t))</text>\n"
        }
        out += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotHeight))\" stroke=\"black\"/>\n"
        out += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(top + plotHeight))\" stroke=\"black\"/>\n"
        out += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(top + plotHeight + 42))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        out += "<text transform=\"translate(18 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
        // Bands first (under every curve), then curves, censoring marks, legend.
        for (i, curve) in curves.enumerated() where !curve.band.isEmpty {
            let colour = Self.colours[i % Self.colours.count]
            // The upper limits as steps from time 0 to the curve's end, then the lower limits back to the first step.
            var upper = "M\(f(x(0))) \(f(y(1)))"
            for b in curve.band { upper += " H\(f(x(b.time))) V\(f(y(b.upper)))" }
            let end = curve.band.last.map { b in curve.censorings.last.map { Swift.max($0.time, b.time) } ?? b.time } ?? 0
            var lower = ""
            for b in curve.band.reversed() { lower += " V\(f(y(b.lower))) H\(f(x(b.time)))" }
            out += "<path class=\"band\" d=\"\(upper) H\(f(x(end)))\(lower) V\(f(y(1))) Z\" fill=\"\(colour)\" fill-opacity=\"0.12\" stroke=\"none\"/>\n"
        }
        var anyCensored = false
        for (i, curve) in curves.enumerated() {
            let colour = Self.colours[i % Self.colours.count], dash = Self.dashes[i % Self.dashes.count]
            var path = ""
            for (k, step) in curve.steps.enumerated() {
                path += k == 0 ? "M\(f(x(step.time))) \(f(y(step.survival)))" : " H\(f(x(step.time))) V\(f(y(step.survival)))"
            }
            if let last = curve.steps.last, let end = curve.censorings.last?.time, end > last.time { path += " H\(f(x(end)))" }
            out += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>\n"
            // One mark per two pixels at most: thousands of censorings would otherwise merge into a band.
            var lastPixel = -Double.infinity
            for mark in curve.censorings {
                let px = x(mark.time)
                guard px - lastPixel >= 2 else { continue }
                lastPixel = px
                anyCensored = true
                out += "<line class=\"censor\" x1=\"\(f(px))\" y1=\"\(f(y(mark.survival) - 4))\" x2=\"\(f(px))\" y2=\"\(f(y(mark.survival) + 4))\" stroke=\"\(colour)\"/>\n"
            }
            let ly = top + 20 + Double(i) * 22
            out += "<line x1=\"\(f(left + plotWidth + 15))\" y1=\"\(f(ly - 4))\" x2=\"\(f(left + plotWidth + 45))\" y2=\"\(f(ly - 4))\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>\n"
            out += "<text x=\"\(f(left + plotWidth + 52))\" y=\"\(f(ly))\">\(escape(curve.label))</text>\n"
        }
        var legendY = top + 30 + Double(curves.count) * 22
        if anyCensored {
            out += "<text x=\"\(f(left + plotWidth + 15))\" y=\"\(f(legendY))\" font-size=\"11\" fill=\"#555\">| censored</text>\n"
            legendY += 16
        }
        if curves.contains(where: { !$0.band.isEmpty }) {
            out += "<text x=\"\(f(left + plotWidth + 15))\" y=\"\(f(legendY))\" font-size=\"11\" fill=\"#555\">shaded: 95% confidence band</text>\n"
        }
        // Numbers at risk under the plot, one row per curve, at each tick.
        if withRisk {
            let base = top + plotHeight + 64
            out += "<text x=\"\(f(left - 26))\" y=\"\(f(base))\" text-anchor=\"end\" font-weight=\"bold\" font-size=\"12\">At risk</text>\n"
            for (i, curve) in curves.enumerated() {
                let rowY = base + 18 + Double(i) * 18
                out += "<text class=\"risk-label\" x=\"\(f(left - 26))\" y=\"\(f(rowY))\" text-anchor=\"end\" font-size=\"12\" fill=\"\(Self.colours[i % Self.colours.count])\">\(escape(curve.label))</text>\n"
                for t in ticks {
                    guard let n = curve.atRisk(at: t) else { continue }
                    out += "<text class=\"risk\" x=\"\(f(x(t)))\" y=\"\(f(rowY))\" text-anchor=\"middle\" font-size=\"12\">\(n)</text>\n"
                }
            }
        }
        return out + "</svg>\n"
    }

    /// Month ticks: every 12 months for 3 to 10 years of follow-up; 1, 3 or 6 for shorter, 24, 60 or 120 for longer.
    static func monthStep(_ maxTime: Double) -> Double {
        for (limit, step) in [(6.0, 1.0), (18, 3), (36, 6), (120, 12), (240, 24), (600, 60), (1200, 120)] where maxTime <= limit { return step }
        return niceStep(maxTime / 8)
    }

    static func niceStep(_ raw: Double) -> Double {
        let magnitude = pow(10, (log10(Swift.max(raw, 1e-9))).rounded(.down))
        for factor in [1.0, 2, 2.5, 5, 10] where raw <= factor * magnitude { return factor * magnitude }
        return 10 * magnitude
    }

    static func label(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%g", v) }
}
