/// ICD-O-3 and the NAACCR code lists that go with it: topography (primary site), histology with behavior,
/// behavior, laterality, sex; paired organs; sex-specific sites.
public enum ICDO3 {
    /// The 330 topography codes (C000-C809, no decimal point): the NAACCR code list of Primary Site (400).
    public static let topography = NaaccrCodeLists.list("primarySite")!.table
    /// Histology/behavior preferred terms ("8500/3").
    public static let morphology = CodeTable(name: "histologicTypeIcdO3", text: CodeTableText.morphology)
    private static let histologies: Set<String> = Set(morphology.entries.map { String($0.code.prefix(4)) })

    /// Whether a 4-digit histology code exists in ICD-O-3 (with any behavior).
    public static func isHistology(_ code: String) -> Bool { histologies.contains(code) }

    /// The behaviors ICD-O-3 lists a 4-digit histology with (its preferred terms "8500/2", "8500/3" → ["2", "3"]).
    public static func behaviorsListed(histology: String) -> Set<String> { behaviorsByHistology[histology] ?? [] }

    private static let behaviorsByHistology: [String: Set<String>] = {
        var out: [String: Set<String>] = [:]
        for entry in morphology.entries { out[String(entry.code.prefix(4)), default: []].insert(String(entry.code.suffix(1))) }
        return out
    }()

    /// Whether histology/behavior is an ICD-O-3 term as published (some combinations need review, not rejection).
    public static func isMorphology(histology: String, behavior: String) -> Bool { morphology.contains("\(histology)/\(behavior)") }

    /// The diagnosis years a histology/behavior code ("8100/3") may be used in, read from the notes SEER's list of
    /// preferred terms carries: `[2022+]` (a code introduced in 2022) and `[PRE-2010 ONLY...` (a code replaced in 2010,
    /// last used in 2009). nil when the code has neither note.
    public static func yearsOfUse(_ code: String) -> (first: Int?, last: Int?)? { yearsOfUseByCode[code] }

    private static let yearsOfUseByCode: [String: (first: Int?, last: Int?)] = {
        var out: [String: (first: Int?, last: Int?)] = [:]
        for entry in morphology.entries {
            var first: Int?, last: Int?
            for note in entry.label.split(separator: "[").dropFirst().map({ $0.prefix { $0 != "]" } }) {
                let text = String(note)
                if text.count == 5, text.hasSuffix("+"), let year = Int(text.prefix(4)) { first = year }
                if text.hasPrefix("PRE-"), text.dropFirst(4).prefix(4).allSatisfy(\.isNumber),
                   text.dropFirst(8).hasPrefix(" ONLY"), let year = Int(text.dropFirst(4).prefix(4)) { last = year - 1 }
            }
            if first != nil || last != nil { out[entry.code] = (first, last) }
        }
        return out
    }()

    /// NAACCR item 523, from the NAACCR code list: 0-3 (the list also has ICD-O-3's 6, metastatic, which registries
    /// never code: a metastasis is abstracted as its primary).
    public static let behavior = CodeTable(name: "behaviorCodeIcdO3", entries: NaaccrCodeLists.list("behaviorCodeIcdO3")!.entries.filter { $0.code != "6" })
    /// NAACCR item 410, from the NAACCR code list.
    public static let laterality = NaaccrCodeLists.list("laterality")!.table
    /// NAACCR item 225 (Sex Assigned at Birth, v26: 1, 2, 9), from the NAACCR code list.
    public static let sexAssignedAtBirth = NaaccrCodeLists.list("sexAssignedAtBirth")!.table

    /// Sites where laterality must be coded 1-5 or 9 (the NAACCR list of paired organs, item 410).
    public static func isPairedSite(_ site: String) -> Bool { pairedSites.contains(site) }

    /// Sites too unspecific for a localized extension, as the SEER coding manual names them for IF40/IF176 (Over-ride
    /// Site/EOD/DX Dt, item 2072): mouth NOS, colon NOS, bone NOS, female and male genital organs NOS.
    public static let unspecificSitesForExtension: Set<String> = ["C069", "C189", "C419", "C579", "C639"]

    static let pairedSites: Set<String> = {
        var s: Set<String> = ["C079", "C080", "C081", "C090", "C091", "C098", "C099", "C300", "C301", "C310", "C312",
                              "C384", "C413", "C414", "C441", "C442", "C443", "C445", "C446", "C447", "C471", "C472",
                              "C491", "C492", "C569", "C570", "C630", "C631", "C649", "C659", "C669", "C754"]
        for i in 0...9 { s.insert("C34\(i)"); s.insert("C50\(i)"); s.insert("C62\(i)"); s.insert("C69\(i)"); s.insert("C74\(i)") }
        for i in 0...3 { s.insert("C40\(i)") }
        return s.filter { topography.contains($0) }
    }()

    /// Female genital organs C51-C58 (vulva to placenta).
    public static func isFemaleOnlySite(_ site: String) -> Bool { site >= "C510" && site <= "C589" }
    /// Male genital organs C60-C63.
    public static func isMaleOnlySite(_ site: String) -> Bool { site >= "C600" && site <= "C639" }
}

extension ICDO3 {
    /// The sites ICD-O-3 gives for a histology in its terms ("Collecting duct carcinoma (C64.9)"), as topography
    /// prefixes ("C649", or "C50" for C50._); nil when the histology is not tied to a site in any of its terms.
    public static func associatedSites(histology: String) -> [String]? { associatedSitesByHistology[histology] }

    /// The sites named in the first parentheses of a term ("(C22.1, C24.0)" → ["C221", "C240"]; "C50._" → "C50"), nil if none.
    public static func sitesNamed(in label: String) -> [String]? {
        guard let open = label.firstIndex(of: "("), let close = label[open...].firstIndex(of: ")") else { return nil }
        var sites: [String] = []
        for token in label[label.index(after: open)..<close].split(whereSeparator: { $0 == "," || $0 == " " || $0 == "[" || $0 == "]" }) {
            let t = String(token)
            guard t.count == 5, t.first == "C", t.dropFirst().prefix(2).allSatisfy(\.isNumber), t.dropFirst(3).first == "." else { continue }
            sites.append(t.last! == "_" ? String(t.prefix(3)) : String(t.prefix(3)) + String(t.last!))
        }
        return sites.isEmpty ? nil : sites
    }

    static let associatedSitesByHistology: [String: [String]] = {
        var result: [String: Set<String>] = [:]
        var unrestricted = Set<String>()
        for entry in morphology.entries {
            let histology = String(entry.code.prefix(4))
            // Site lists sit in the first parentheses of a term, e.g. "(C22.1, C24.0)" or "(C56.9 [F], C62._[M])".
            if let sites = sitesNamed(in: entry.label) { result[histology, default: []].formUnion(sites) } else { unrestricted.insert(histology) }
        }
        // A histology with any term free of a site is not tied to one.
        return result.filter { !unrestricted.contains($0.key) }.mapValues { $0.sorted() }
    }()
}
