import Foundation
import Survival

/// Draws survival curves as an SVG step plot: axes with ticks and labels, one coloured curve per group with
/// tick marks at censoring times, and a legend; sized for a printed page and readable in grey scale (each curve
/// also has its own dash pattern).
public struct SurvivalPlot: Sendable {
    public struct Curve: Sendable {
        public var label: String
        /// (time, survival) steps starting at (0, 1).
        public var steps: [(time: Double, survival: Double)]
        public var censorings: [(time: Double, survival: Double)]

        public init(label: String, steps: [(time: Double, survival: Double)], censorings: [(time: Double, survival: Double)]) {
            self.label = label
            self.steps = steps
            self.censorings = censorings
        }

        /// The curve of a Kaplan-Meier estimate.
        public init(label: String, curve: KaplanMeierCurve) {
            self.label = label
            steps = [(0, 1)] + curve.rows.map { ($0.time, $0.survival) }
            censorings = curve.rows.filter { $0.censored > 0 }.map { ($0.time, $0.survival) }
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
        let left = 70.0, right = 190.0, top = 50.0, bottom = 60.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let maxTime = Swift.max(1, curves.flatMap { $0.steps.map(\.time) }.max() ?? 1)
        let tickStep = Self.niceStep(maxTime / 8)
        let xMax = (maxTime / tickStep).rounded(.up) * tickStep
        func x(_ t: Double) -> Double { left + t / xMax * plotWidth }
        func y(_ s: Double) -> Double { top + (1 - s) * plotHeight }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" \
            font-family="Helvetica, Arial, sans-serif" font-size="13">
            <title>\(escape(title))</title>
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(left))" y="28" font-size="16" font-weight="bold">\(escape(title))</text>

            """
        // Grid, ticks and axis labels.
        for i in 0...10 {
            let s = Double(i) / 10
            out += "<line x1=\"\(f(left))\" y1=\"\(f(y(s)))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y(s)))\" stroke=\"#e0e0e0\"/>\n"
            out += "<text x=\"\(f(left - 8))\" y=\"\(f(y(s) + 4))\" text-anchor=\"end\">\(i * 10)%</text>\n"
        }
        var t = 0.0
        while t <= xMax + 1e-9 {
            out += "<line x1=\"\(f(x(t)))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(x(t)))\" y2=\"\(f(top + plotHeight + 5))\" stroke=\"black\"/>\n"
            out += "<text x=\"\(f(x(t)))\" y=\"\(f(top + plotHeight + 20))\" text-anchor=\"middle\">\(Self.label(t))</text>\n"
            t += tickStep
        }
        out += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotHeight))\" stroke=\"black\"/>\n"
        out += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(top + plotHeight))\" stroke=\"black\"/>\n"
        out += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 15))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        out += "<text transform=\"translate(18 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
        // Curves, censoring marks, legend.
        for (i, curve) in curves.enumerated() {
            let colour = Self.colours[i % Self.colours.count], dash = Self.dashes[i % Self.dashes.count]
            var path = ""
            for (k, step) in curve.steps.enumerated() {
                path += k == 0 ? "M\(f(x(step.time))) \(f(y(step.survival)))" : " H\(f(x(step.time))) V\(f(y(step.survival)))"
            }
            if let last = curve.steps.last, let end = curve.censorings.last?.time, end > last.time { path += " H\(f(x(end)))" }
            out += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>\n"
            for mark in curve.censorings {
                out += "<line x1=\"\(f(x(mark.time)))\" y1=\"\(f(y(mark.survival) - 4))\" x2=\"\(f(x(mark.time)))\" y2=\"\(f(y(mark.survival) + 4))\" stroke=\"\(colour)\"/>\n"
            }
            let ly = top + 20 + Double(i) * 22
            out += "<line x1=\"\(f(left + plotWidth + 15))\" y1=\"\(f(ly - 4))\" x2=\"\(f(left + plotWidth + 45))\" y2=\"\(f(ly - 4))\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>\n"
            out += "<text x=\"\(f(left + plotWidth + 52))\" y=\"\(f(ly))\">\(escape(curve.label))</text>\n"
        }
        out += "<text x=\"\(f(left + plotWidth + 15))\" y=\"\(f(top + 30 + Double(curves.count) * 22))\" font-size=\"11\" fill=\"#555\">| censored</text>\n"
        return out + "</svg>\n"
    }

    static func niceStep(_ raw: Double) -> Double {
        let magnitude = pow(10, (log10(Swift.max(raw, 1e-9))).rounded(.down))
        for factor in [1.0, 2, 2.5, 5, 10] where raw <= factor * magnitude { return factor * magnitude }
        return 10 * magnitude
    }

    static func label(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%g", v) }
}
