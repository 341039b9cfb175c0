import Foundation
import Mustache

/// A table of a report: what it counts (in words), its columns, its rows as text, and notes.
public struct ReportTable: Sendable, Equatable {
    public var title: String
    /// Which records the table counts (which tumors, which years), in words.
    public var counts: String
    public var columns: [String]
    public var rows: [[String]]
    public var notes: [String]

    public init(title: String, counts: String = "", columns: [String], rows: [[String]] = [], notes: [String] = []) {
        self.title = title
        self.counts = counts
        self.columns = columns
        self.rows = rows
        self.notes = notes
    }

    /// The table as CSV (RFC 4180: fields with commas, quotes or line breaks are quoted).
    public var csv: String {
        ([columns] + rows).map { $0.map(ReportTable.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func csvField(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}

/// A report: a title, whether it is internal or public, and sections of tables, figures and text.
public struct ReportDocument: Sendable {
    public enum Section: Sendable {
        case table(ReportTable)
        /// An SVG drawn by the registry (trusted markup) with its caption.
        case figure(svg: String, caption: String)
        case text(String)
    }

    public var title: String
    public var subtitle: String
    /// "Internal: contains small counts" or "Public", printed on every page's header.
    public var marking: String
    public var generated: Date
    public var sections: [Section]

    public init(title: String, subtitle: String = "", marking: String = "", generated: Date = Date(), sections: [Section] = []) {
        self.title = title
        self.subtitle = subtitle
        self.marking = marking
        self.generated = generated
        self.sections = sections
    }

    /// Printable HTML through `reports/report.html.mustache`.
    public func html() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate, .withSpaceBetweenDateAndTime]
        let values: [String: Any] = [
            "title": title, "subtitle": subtitle, "marking": marking, "generated": formatter.string(from: generated) + " UTC",
            "sections": sections.map { section -> [String: Any] in
                switch section {
                case .table(let t):
                    return ["table": ["title": t.title, "counts": t.counts, "columns": t.columns, "rows": t.rows.map { ["cells": $0] },
                                      "notes": t.notes] as [String: Any]]
                case let .figure(svg, caption): return ["figure": ["svg": svg, "caption": caption]]
                case .text(let text): return ["text": text]
                }
            },
        ]
        return ReportTemplates.library.render(values, withTemplate: "report.html") ?? ""
    }
}

/// The templates under `reports/`, embedded by `scripts/gen-reports`.
public enum ReportTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in bundled {
            // The templates are the project's own and tested; a broken one is a build defect, reported by ReportsTests.
            try? library.register(text, named: name)
        }
        return library
    }()

    /// Each embedded template's text, for the drift test against `reports/`.
    public static var embedded: [String: String] { bundled }
}
