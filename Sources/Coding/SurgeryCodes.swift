/// SEER's site-specific codes for Surgery of Primary Site (items 1290 through 2022, 1291 from 2023), by coding-manual
/// year and site group (`scripts/gen-coding` from the published tables): the codes a surgery edit accepts and a
/// picker shows for a tumor's site and histology.
public enum SurgeryCodes {
    /// One site group's codes in one coding-manual year.
    /// A class: the edits look a tumor's group up for every tumor, and a reference is one count to keep where a struct
    /// of a table and three arrays is several.
    public final class SiteGroup: Sendable {
        public let title: String
        public let codes: CodeTable
        let sites: [ClosedRange<String>]
        let histologyIn: [ClosedRange<Int>]
        let histologyOut: [ClosedRange<Int>]

        init(title: String, codes: CodeTable, sites: [ClosedRange<String>], histologyIn: [ClosedRange<Int>], histologyOut: [ClosedRange<Int>]) {
            self.title = title
            self.codes = codes
            self.sites = sites
            self.histologyIn = histologyIn
            self.histologyOut = histologyOut
        }

        func fits(site: String, histology: Int?) -> Bool {
            guard sites.contains(where: { $0.contains(site) }) else { return false }
            if let histology {
                if !histologyIn.isEmpty && !histologyIn.contains(where: { $0.contains(histology) }) { return false }
                if histologyOut.contains(where: { $0.contains(histology) }) { return false }
            }
            return true
        }
    }

    /// Coding-manual year → site groups, oldest first.
    static let versions: [(year: Int, groups: [SiteGroup])] = SurgeryCodeText.versions.map { year, text in
        var groups: [SiteGroup] = []
        var header: [String] = []
        var entries: [CodeTable.Entry] = []
        func close() {
            guard header.count == 5 else { return }
            groups.append(SiteGroup(title: header[1], codes: CodeTable(name: "surgery \(year) \(header[1])", entries: entries),
                                    sites: ranges(header[2]).map { $0 }, histologyIn: numbers(header[3]), histologyOut: numbers(header[4])))
        }
        for line in text.split(separator: "\n") {
            if line.hasPrefix("#|") {
                close()
                header = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                entries = []
            } else if let bar = line.firstIndex(of: "|") {
                entries.append(.init(code: String(line[..<bar]), label: String(line[line.index(after: bar)...])))
            }
        }
        close()
        return (year, groups)
    }

    private static func ranges(_ spec: String) -> [ClosedRange<String>] {
        spec.split(separator: ",").map { part in
            let bounds = part.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
            return bounds.count == 2 ? bounds[0]...bounds[1] : bounds[0]...bounds[0]
        }
    }

    private static func numbers(_ spec: String) -> [ClosedRange<Int>] {
        spec.split(separator: ",").compactMap { part in
            let bounds = part.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            return bounds.count == 2 ? bounds[0]...bounds[1] : bounds.first.map { $0...$0 }
        }
    }

    /// The site group whose codes apply to a tumor diagnosed in `year` (the newest manual not after it; the oldest for
    /// earlier years), nil when the site is not a valid topography code.
    public static func group(site: String, histology: String?, year: Int) -> SiteGroup? {
        guard let version = versions.last(where: { $0.year <= year }) ?? versions.first else { return nil }
        let h = histology.flatMap { Int($0) }
        return version.groups.first { $0.fits(site: site, histology: h) }
    }
}
