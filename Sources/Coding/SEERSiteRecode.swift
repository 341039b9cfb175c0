import Foundation

/// The SEER Site Recode (ICD-O-3 2023 revision): the site group a tumor is counted in for incidence and survival
/// statistics. The first row in published order whose sites, histologies, behaviors and diagnosis years all match
/// wins; tumors matching none are 99 ("Unknown/unclassified").
public struct SEERSiteRecode: Sendable {
    public struct Group: Sendable {
        public let code: String
        public let name: String
        let sites: [ClosedRange<Int>]
        let histologyIn: [ClosedRange<Int>]
        let histologyOut: [ClosedRange<Int>]
        let behaviors: Set<String>
        let firstYear: Int?
        let lastYear: Int?

        func matches(site: Int, histology: Int, behavior: String, year: Int?) -> Bool {
            guard sites.contains(where: { $0.contains(site) }) else { return false }
            if !histologyIn.isEmpty, !histologyIn.contains(where: { $0.contains(histology) }) { return false }
            if histologyOut.contains(where: { $0.contains(histology) }) { return false }
            if !behaviors.isEmpty, !behaviors.contains(behavior) { return false }
            if let firstYear, let year, year < firstYear { return false }
            if let lastYear, let year, year > lastYear { return false }
            return true
        }
    }

    public let groups: [Group]
    public static let revision2023 = SEERSiteRecode(text: CodeTableText.siteRecode2023)

    init(text: String) {
        groups = text.split(separator: "\n").map { line in
            let f = line.trimmingCharacters(in: .whitespaces).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            return Group(code: f[0], name: f[1], sites: Self.ranges(f[2], dropC: true), histologyIn: Self.ranges(f[3]),
                         histologyOut: Self.ranges(f[4]), behaviors: Set(f[5].split(separator: ",").map(String.init)),
                         firstYear: Int(f[6]), lastYear: Int(f[7]))
        }
    }

    /// "C000-C006,C008" or "9050-9055,9140" as integer ranges.
    static func ranges(_ text: String, dropC: Bool = false) -> [ClosedRange<Int>] {
        text.split(separator: ",").compactMap { part in
            let bounds = part.split(separator: "-").map { Int(dropC ? $0.dropFirst() : $0) }
            guard let low = bounds.first ?? nil else { return nil }
            let high = bounds.count > 1 ? bounds[1] ?? low : low
            return low...high
        }
    }

    /// The group of a tumor: site C000-C809, 4-digit histology, behavior, diagnosis year (nil if unknown).
    public func recode(site: String, histology: String, behavior: String, year: Int?) -> (code: String, name: String) {
        guard site.count == 4, site.first == "C", let s = Int(site.dropFirst()), let h = Int(histology) else {
            return ("99", "Unknown/unclassified")
        }
        for group in groups where group.matches(site: s, histology: h, behavior: behavior, year: year) {
            return (group.code, group.name)
        }
        return ("99", "Unknown/unclassified")
    }
}
