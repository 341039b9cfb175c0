import Coding

/// Inter-field edits within one tumor: site, histology, behavior, laterality, confirmation, sequence, treatment.
extension EditCatalog {
    static func inRange(_ value: Int?, _ ranges: ClosedRange<Int>...) -> Bool {
        guard let value else { return false }
        return ranges.contains { $0.contains(value) }
    }

    /// Site, histology and behavior when all three are valid codes; edits that need them skip otherwise.
    /// A tumor's primary site, histology and behavior when all three are valid codes.
    typealias SiteMorphology = (site: String, histology: Int, histologyCode: String, behavior: String)

    /// The tumor's site, histology (as a number and as coded) and behavior, nil unless all three are valid; worked out
    /// once per tumor (`EditMemo`).
    static func siteMorphology(_ r: EditRecord) -> SiteMorphology? {
        r.memo.siteMorphology(for: r.tumorIndex) {
            guard let site = r[.site], ICDO3.topography.contains(site), let h = r[.histology], ICDO3.isHistology(h),
                  let b = r[.behavior], ["0", "1", "2", "3"].contains(b) else { return nil }
            return (site, Int(h)!, h, b)
        }
    }

    static func siteIsAssociated(_ site: String, _ histology: String) -> Bool {
        guard let sites = ICDO3.associatedSites(histology: histology) else { return true }
        return sites.contains { site.hasPrefix($0) }
    }

    static let illDefinedInSitu: Set<String> = Set(["C269", "C399", "C559", "C579", "C639", "C689", "C729", "C759", "C809"])
        .union(codes("760-768").map { "C" + $0 })

    /// Whether the patient has more than one primary (sequence 01-59).
    static func isMultiplePrimary(_ sequence: String?) -> Bool { sequence.flatMap(Int.init).map { (1...59).contains($0) } ?? false }

    /// Chemotherapy, hormone therapy and immunotherapy codes under which no treatment was given or is known to have been:
    /// none (00), contraindicated (82), died first (85), not given (86), refused (87), recommended with no word since (88),
    /// unknown (99).
    static let systemicNotGiven: Set<String> = ["00", "82", "85", "86", "87", "88", "99"]

    /// A treatment's date (items 1210-1250) is blank when its summary code says the treatment was not given or is not
    /// known to have been (the date/flag rules: flag 11 for not given, 15 for recommended, 10 for unknown).
    static func treatmentDate(_ id: String, _ name: String, date: Item, summary: Item, notGiven: Set<String>) -> Edit {
        Edit(id: id, name: name, kind: .interField, items: [date, summary],
             note: "\(date.naaccrId) is blank when \(summary.naaccrId) is \(notGiven.sorted().joined(separator: ", ")) (not given, "
                + "refused, recommended with no word since, or unknown). NAACCR v26 has no date flags, so a blank date with the "
                + "treatment given is not edited (it may be unknown).") { r in
            guard let code = r[summary], let value = r[date] else { return .skip }
            return notGiven.contains(code) ? .fail("\(summary.naaccrId) \(code) (not given or not known to be) but \(date.naaccrId) is \(value)") : .pass
        }
    }

    /// Built afresh on each call: every engine gets closures of its own (no reference counts shared between threads).
    static func makeInterField() -> [Edit] { [
        Edit(id: "IF25", name: "Primary Site, Morphology-Type ICDO3 (SEER IF25)", kind: .interField, items: [.site, .histology],
             override: (.overrideSiteType, ["1"]),
             note: "Implemented from the sites ICD-O-3 ties each morphology to in its terms (e.g. 8312 renal cell carcinoma, C64.9): "
                + "a histology ICD-O-3 gives for named sites only, coded at another site, is reviewed; one it names no site for "
                + "passes. Neither the SEER site/type validation list nor, for diagnoses 2024 and later, the Cancer PathCHART "
                + "site/morphology table (valid, unlikely, impossible) is in this project, so this check stands for both in every "
                + "year: combinations those tables question that ICD-O-3 does not tie to a site are not caught, and no "
                + "combination is treated as impossible (the over-ride always clears it).") { r in
            guard let m = siteMorphology(r) else { return .skip }
            return siteIsAssociated(m.site, m.histologyCode) ? .pass
                : .fail("primarySite \(m.site) with histologicTypeIcdO3 \(m.histologyCode): ICD-O-3 gives this histology for \(ICDO3.associatedSites(histology: m.histologyCode)!.joined(separator: ", ")) only; review")
        },
        Edit(id: "IF25B", name: "Primary Site, Morphology-Type, Behavior ICDO3 (SEER IF25)", kind: .interField,
             items: [.site, .histology, .behavior], override: (.overrideSiteType, ["1"]),
             note: "IF25 for in situ and malignant tumors (behavior 2 or 3), with the behavior read too; the site check is IF25's. "
                + "ICD-O-3's preferred term of one histology/behavior can name a site its alternate terms do not (8500/3), so the "
                + "histology-level association is the one used.") { r in
            guard let m = siteMorphology(r), ["2", "3"].contains(m.behavior) else { return .skip }
            return siteIsAssociated(m.site, m.histologyCode) ? .pass
                : .fail("primarySite \(m.site) with \(m.histologyCode)/\(m.behavior): ICD-O-3 gives this histology for \(ICDO3.associatedSites(histology: m.histologyCode)!.joined(separator: ", ")) only; review")
        },
        Edit(id: "COC-ST", name: "Primary Site, Morphology-Type ICDO3 (CoC)", kind: .interField, items: [.site, .histology],
             override: (.overrideCocSiteType, ["1"]), alsoOverriddenBy: (.overrideSiteType, ["1"]),
             note: "As IF25, but skin C440-C449 with histology 8000-8005, 8010-8046, 8050-8084, 8090-8110 is not edited; "
                + "Over-ride CoC-Site/Type (1987) or Over-ride Site/Type (2030) clears it (item 1987: the CoC edit accepts either).") { r in
            guard let m = siteMorphology(r) else { return .skip }
            if m.site.hasPrefix("C44"), inRange(m.histology, 8000...8005, 8010...8046, 8050...8084, 8090...8110) { return .pass }
            return siteIsAssociated(m.site, m.histologyCode) ? .pass
                : .fail("primarySite \(m.site) with histologicTypeIcdO3 \(m.histologyCode) needs review (CoC site/type)")
        },
        Edit(id: "MORPH", name: "Morphology--Type/Behavior ICDO3 (SEER MORPH)", kind: .interField, items: [.histology, .behavior, .diagnosisDate],
             override: (.overrideHistology, ["1", "3"]),
             note: "Item 2040 (Over-ride Histology): a histology ICD-O-3 lists only as benign or uncertain (/0, /1) coded in situ or "
                + "malignant needs review; a histology ICD-O-3 lists as in situ or malignant may be coded either, but 8000-8005, 8020, "
                + "8021, 8331, 8332, 8800-9055, 9062, 9082, 9083, 9110-9493 and 9501-9989 are not accepted as in situ; a histology "
                + "ICD-O-3 lists only as /2 or /3 coded /0 or /1 needs review, except /1 for 8442, 8451, 8462, 8472, 8473 (diagnosed "
                + "after 2000) and /0 for the benign brain histologies (diagnosed after 2003).") { r in
            guard let h = r[.histology], ICDO3.isHistology(h), let b = r[.behavior], ["0", "1", "2", "3"].contains(b) else { return .skip }
            let n = Int(h)!
            let listed = ICDO3.behaviorsListed(histology: h)
            let malignantListed = listed.contains("2") || listed.contains("3")
            if b == "2", inRange(n, 8000...8005, 8020...8021, 8331...8332, 8800...9055, 9062...9062, 9082...9083, 9110...9493, 9501...9989) {
                return .fail("histologicTypeIcdO3 \(h) is not accepted as in situ (behavior 2); review")
            }
            if ["2", "3"].contains(b), !malignantListed {
                return .fail("\(h)/\(b): ICD-O-3 lists histology \(h) as benign or uncertain only; review that the pathologist calls it \(b == "2" ? "in situ" : "malignant")")
            }
            if ["0", "1"].contains(b), !listed.contains("0"), !listed.contains("1") {
                let year = r.diagnosisYear ?? 0
                if b == "1", year > 2000, [8442, 8451, 8462, 8472, 8473].contains(n) { return .pass }
                if b == "0", year > 2003, benignBrainHistologies.contains(n) { return .pass }
                return .fail("\(h)/\(b): ICD-O-3 lists histology \(h) as in situ or malignant only; review the behavior")
            }
            return .pass
        },
        Edit(id: "IF93", name: "Race 1, Race 2, Race 3, Race 4, Race 5 (SEER IF93)", kind: .interField,
             items: [.race1, .race2, .race3, .race4, .race5],
             note: "SEER IF93: a blank race 2-5 leaves the rest blank; with more than race 1, 99 (unknown) makes every race 99; "
                + "88 (no further race) makes the later ones 88; a race code other than 88 and 99 appears once; 01 (white) is "
                + "the last race recorded (the last not 88 or blank).") { r in
            let races = [r[.race1], r[.race2], r[.race3], r[.race4], r[.race5]]
            guard let first = races[0] else { return .skip }
            if let blank = races.dropFirst().firstIndex(where: { $0 == nil }), races[blank...].contains(where: { $0 != nil }) {
                return .fail("race\(blank + 1) is blank but a later race is not: the races after a blank one stay blank")
            }
            let recorded = races.compactMap { $0 }
            if recorded.count > 1, recorded.contains("99"), recorded.contains(where: { $0 != "99" }) {
                return .fail("with more than race1 coded, 99 (unknown) means every race is 99")
            }
            if first == "88" { return .fail("race1 cannot be 88 (no further race documented)") }
            if let no = recorded.firstIndex(of: "88"), recorded[no...].contains(where: { $0 != "88" }) {
                return .fail("race\(no + 1) is 88 (no further race documented) but a later race is coded")
            }
            let real = recorded.filter { $0 != "88" && $0 != "99" }
            if Set(real).count != real.count { return .fail("a race code is repeated") }
            if let white = real.firstIndex(of: "01"), white != real.count - 1 { return .fail("01 (white) must be the last race recorded") }
            return .pass
        },
        Edit(id: "SURG90", name: "RX Summ--Surg Prim Site, Primary Site (SEER/CoC)", kind: .interField,
             items: [.surgery, .site, .histology, .diagnosisDate],
             note: "Surgery of Primary Site (1290, diagnoses through 2022) must be a code of the tumor's site group in SEER's "
                + "site-specific surgery tables of the diagnosis year (2018, 2021, 2022 manuals; the 2018 one for earlier years).") { r in
            guard let code = r[.surgery], let site = r[.site], ICDO3.topography.contains(site) else { return .skip }
            let year = r.diagnosisYear ?? 2022
            guard year <= 2022, let group = SurgeryCodes.group(site: site, histology: r[.histology], year: year) else { return .skip }
            return group.codes.contains(code) || code == "99" ? .pass
                : .fail("rxSummSurgPrimSite \(code) is not a surgery code for \(group.title) (primary site \(site))")
        },
        Edit(id: "SURG91", name: "RX Summ--Surg Prim Site 2023, Primary Site (SEER/CoC)", kind: .interField,
             items: [.surgery2023, .site, .histology, .diagnosisDate],
             note: "Surgery of Primary Site 2023 (1291, diagnoses from 2023) must be a code of the tumor's site group in SEER's "
                + "site-specific surgery tables of the diagnosis year (2023, 2024 manuals); the item is not used before 2023.") { r in
            guard let code = r[.surgery2023] else { return .skip }
            guard let year = r.diagnosisYear else { return .skip }
            if year < 2023 { return .fail("rxSummSurgPrimSite2023 is for diagnoses from 2023; this tumor was diagnosed in \(year) (use item 1290)") }
            guard let site = r[.site], ICDO3.topography.contains(site), let group = SurgeryCodes.group(site: site, histology: r[.histology], year: year) else { return .skip }
            return group.codes.contains(code) || code == "A990" ? .pass
                : .fail("rxSummSurgPrimSite2023 \(code) is not a surgery code for \(group.title) (primary site \(site))")
        },
        Edit(id: "MORPHDX", name: "Morph Type&Behav ICDO3, Date of Diagnosis (SEER)", kind: .interField,
             items: [.histology, .behavior, .diagnosisDate],
             note: "A histology/behavior code is valid only in the years it is in use: from the year SEER's ICD-O-3 list gives "
                + "it ([2021+]: new in 2021) and, for a code replaced by a newer one ([PRE-2010 ONLY]), not after its last year.") { r in
            guard let h = r[.histology], let b = r[.behavior], let year = r.diagnosisYear,
                  let years = ICDO3.yearsOfUse("\(h)/\(b)") else { return .skip }
            if let first = years.first, year < first {
                return .fail("\(h)/\(b) is an ICD-O-3 code for diagnoses from \(first) on; this tumor was diagnosed in \(year)")
            }
            if let last = years.last, year > last {
                return .fail("\(h)/\(b) was replaced after \(last); this tumor was diagnosed in \(year): use the newer code")
            }
            return .pass
        },
        Edit(id: "IF31", name: "Diagnostic Confirmation, Behavior ICDO3 (SEER IF31)", kind: .interField, items: [.confirmation, .behavior],
             override: (.overrideHistology, ["2", "3"])) { r in
            guard r[.behavior] == "2", let c = r[.confirmation], CodeSets.confirmation.contains(c) else { return .skip }
            return ["1", "2", "4"].contains(c) ? .pass : .fail("an in situ tumor (behavior 2) must be microscopically confirmed; diagnosticConfirmation is \(c)")
        },
        Edit(id: "IF39", name: "Primary Site, Behavior Code ICDO3 (SEER IF39)", kind: .interField, items: [.site, .behavior],
             override: (.overrideSiteBehavior, ["1"])) { r in
            guard r[.behavior] == "2", let site = r[.site], ICDO3.topography.contains(site) else { return .skip }
            return illDefinedInSitu.contains(site) ? .fail("in situ behavior with the ill-defined or unknown site \(site); review") : .pass
        },
        Edit(id: "IF42", name: "Laterality, Primary Site, Morph ICDO3 (SEER IF42)", kind: .interField,
             items: [.laterality, .site, .histology, .behavior, .diagnosisDate], override: (.overrideSiteLatMorph, ["1"])) { r in
            guard let m = siteMorphology(r), m.behavior == "2", ICDO3.isPairedSite(m.site), let lat = r[.laterality],
                  CodeSets.laterality.contains(lat) else { return .skip }
            let year = r.diagnosisYear ?? 0
            if year > 1987, [9140, 9700, 9701].contains(m.histology) || inRange(m.histology, 9590...9980) { return .skip }
            return ["1", "2", "3"].contains(lat) ? .pass
                : .fail("an in situ tumor of the paired site \(m.site) must have laterality 1, 2 or 3, not \(lat)")
        },
        Edit(id: "IF24", name: "Laterality, Primary Site, Date of Diag (SEER IF24)", kind: .interField,
             items: [.laterality, .site, .diagnosisDate],
             note: "Paired organs (NAACCR list for item 410) need 1-5 or 9 (5, midline, from 2010); other sites 0, except the CNS sites "
                + "C700, C710-C714, C722-C725 (1-4, 9 also accepted from 2004). Paired-site table written from the NAACCR item definition.") { r in
            guard let site = r[.site], ICDO3.topography.contains(site), let lat = r[.laterality], CodeSets.laterality.contains(lat) else { return .skip }
            let year = r.diagnosisYear
            if ICDO3.isPairedSite(site) {
                if lat == "0" { return .fail("primarySite \(site) is a paired organ: laterality must be 1-5 or 9, not 0") }
                if lat == "5", let year, year < 2010 { return .fail("laterality 5 (midline) is valid only for diagnoses from 2010") }
                return .pass
            }
            let cns = site == "C700" || ("C710"..."C714").contains(site) || ("C722"..."C725").contains(site)
            if cns, ["0", "1", "2", "3", "4", "9"].contains(lat), (year ?? 2004) >= 2004 { return .pass }
            return lat == "0" ? .pass : .fail("primarySite \(site) is not a paired organ: laterality must be 0, not \(lat)")
        },
        Edit(id: "IF48", name: "Diagnostic Confirmation, Histology ICDO3 (SEER IF48)", kind: .interField, items: [.confirmation, .histology],
             override: (.overrideLeukLymphoma, ["1"])) { r in
            guard let h = histologyNumber(r[.histology]), let c = r[.confirmation], CodeSets.confirmation.contains(c) else { return .skip }
            if (9590...9729).contains(h), ["6", "8"].contains(c) { return .fail("a lymphoma (\(h)) cannot be confirmed by code \(c)") }
            if (9731...9948).contains(h), c == "6" { return .fail("a hematopoietic neoplasm (\(h)) cannot be confirmed by direct visualization (6)") }
            return .pass
        },
        Edit(id: "IF22", name: "Seq Num--Central, Prim Site, Morph ICDO3 (SEER IF22)", kind: .interField,
             items: [.sequenceCentral, .site, .histology], override: (.overrideIllDefined, ["1"])) { r in
            guard isMultiplePrimary(r[.sequenceCentral]), let m = siteMorphology(r) else { return .skip }
            return illDefinedMultiple(site: m.site, histology: m.histology).map { .fail("sequenceNumberCentral \(r[.sequenceCentral]!): \($0)") } ?? .pass
        },
        Edit(id: "COC-SQS", name: "Seq Num--Hosp, Primary Site, Morph ICDO3 (CoC)", kind: .interField,
             items: [.sequenceHospital, .site, .histology], override: (.overrideHospSeqSite, ["1"])) { r in
            guard isMultiplePrimary(r[.sequenceHospital]), let m = siteMorphology(r) else { return .skip }
            return illDefinedMultiple(site: m.site, histology: m.histology).map { .fail("sequenceNumberHospital \(r[.sequenceHospital]!): \($0)") } ?? .pass
        },
        Edit(id: "IF23", name: "Diagnostic Confirm, Seq Num--Central (SEER IF23)", kind: .interField,
             items: [.confirmation, .sequenceCentral], override: (.overrideSeqDxConf, ["1"])) { r in
            guard isMultiplePrimary(r[.sequenceCentral]), let c = r[.confirmation], CodeSets.confirmation.contains(c) else { return .skip }
            return Int(c)! > 5 ? .fail("one of several primaries (sequence \(r[.sequenceCentral]!)) without microscopic confirmation (\(c)); review") : .pass
        },
        Edit(id: "COC-DXS", name: "Diagnostic Confirm, Seq Num--Hosp (CoC)", kind: .interField,
             items: [.confirmation, .sequenceHospital, .site], override: (.overrideHospSeqDxConf, ["1"])) { r in
            // Every hospital sequence above 00 (one of several primaries) except 60-88 (non-malignant): 01-59 and 99.
            guard let seq = r[.sequenceHospital].flatMap(Int.init), seq > 0, !(60...88).contains(seq),
                  let c = r[.confirmation], CodeSets.confirmation.contains(c), let site = r[.site] else { return .skip }
            if site == "C809" || ("C760"..."C768").contains(site) { return .skip }
            return Int(c)! > 5 ? .fail("one of several primaries (hospital sequence \(r[.sequenceHospital]!)) without microscopic confirmation (\(c)); review") : .pass
        },
        Edit(id: "IF04", name: "Type of Rep Srce(DC), Seq Num--Cent, ICDO3 (SEER IF04)", kind: .interField,
             items: [.reportingSource, .sequenceCentral, .histology], override: (.overrideReportSource, ["1"])) { r in
            guard r[.reportingSource] == "7", let h = histologyNumber(r[.histology]), h < 9590, let seq = r[.sequenceCentral] else { return .skip }
            return seq == "00" ? .pass : .fail("a death-certificate-only case (reporting source 7) with histology \(h) must have sequence 00, not \(seq)")
        },
        Edit(id: "IF76", name: "RX Summ--Surg Prim Site, Diag Conf (SEER IF76)", kind: .interField,
             items: [.surgery, .confirmation], override: (.overrideSurgDxConf, ["1"])) { r in
            guard let s = r[.surgery].flatMap(Int.init), (20...90).contains(s), let c = r[.confirmation], CodeSets.confirmation.contains(c) else { return .skip }
            return c == "1" ? .pass : .fail("surgery of the primary site (\(r[.surgery]!)) but diagnosticConfirmation is \(c), not 1 (positive histology); review")
        },
        Edit(id: "IF17", name: "Sex, Primary Site (SEER IF17)", kind: .interField, items: [.sex, .site],
             note: "Female genital sites C510-C589 need sex 2, male genital sites C600-C639 sex 1; intersex (3) and unknown (9) pass. "
                + "Written from the v26 item 225 codes; unsure how SEER treats codes 3 and 9.") { r in
            guard let sex = r[.sex], let site = r[.site], ICDO3.topography.contains(site) else { return .skip }
            if ICDO3.isFemaleOnlySite(site), sex == "1" { return .fail("primarySite \(site) is a female genital site but sexAssignedAtBirth is 1 (male)") }
            if ICDO3.isMaleOnlySite(site), sex == "2" { return .fail("primarySite \(site) is a male genital site but sexAssignedAtBirth is 2 (female)") }
            return .pass
        },
        Edit(id: "IF15", name: "Age, Primary Site, Morphology ICDO3 (SEER IF15)", kind: .interField, items: [.age, .site, .histology],
             override: (.overrideAgeSiteMorph, ["1", "3"]),
             note: "The SEER age/site/morphology table is not in this project; this checks the best-known combinations only: embryonal "
                + "childhood tumors (retinoblastoma 9510-9514, nephroblastoma 8960, hepatoblastoma 8970, neuroblastoma 9490/9500) at 15 or "
                + "older, and carcinoma of the prostate or breast before 15.", logic: interFieldIF15),
        ageSiteMorphology("IF15A", "Age, Primary Site, Morph ICDO3--Adult (SEER)", ages: 15...120),
        ageSiteMorphology("IF15P", "Age, Primary Site, Morph ICDO3--Pediatric (NPCR)", ages: 0...14),
        Edit(id: "IF40", name: "Primary Site, EOD, ICDO3 (SEER IF40)", kind: .interField,
             items: [.site, .histology, .eodPrimary, .diagnosisDate], override: (.overrideSiteEodDate, ["1"]),
             note: "Item 2072 (Over-ride Site/EOD/DX Dt): the extension cannot be localized when the site is not specific: the "
                + "sites the SEER coding manual names for IF40/IF176, mouth NOS (C069), colon NOS (C189, except histology 8210, "
                + "8220, 8261, 8263, which arise in a polyp), bone NOS (C419), female genital organs NOS (C579) and male genital "
                + "organs NOS (C639). By year of diagnosis: from 2018 the extension is EOD Primary Tumor (772), localized when "
                + "the tumor's EOD 2018 schema maps it to L (the schema's SS2018 T category; nodes and metastases are not read). "
                + "1988-2003 (EOD--Extension 790) and 2004-2017 (CS Extension 2810) are not edited: the EOD-10 site schemes and "
                + "the Collaborative Stage tables that say which of their codes are localized are not in this project, nor is "
                + "the metafile's full list of unspecific sites.") { r in
            guard let m = siteMorphology(r), ICDO3.unspecificSitesForExtension.contains(m.site), let year = r.diagnosisYear, year >= 2018,
                  let category = extensionCategory(r) else { return .skip }
            guard category == "L" else { return .pass }
            if m.site == "C189", [8210, 8220, 8261, 8263].contains(m.histology) { return .pass }
            return .fail("primarySite \(m.site) is not specific enough for a localized extension "
                         + "(eodPrimaryTumor \(r[.eodPrimary] ?? "-") is localized in the tumor's schema); review")
        },
        Edit(id: "IF41", name: "Primary Site, Laterality, EOD, ICDO3 (SEER IF41)", kind: .interField,
             items: [.site, .laterality, .eodPrimary, .diagnosisDate], override: (.overrideSiteLatEod, ["1"]),
             note: "Item 2073 (Over-ride Site/Lat/EOD): a paired organ with bilateral (4) or unknown (9) laterality cannot have "
                + "its extension coded in situ, localized or regional by direct extension. From 2018 the extension is EOD "
                + "Primary Tumor (772) as the tumor's EOD 2018 schema maps it (SS2018 T category IS, L or RE; nodes and "
                + "metastases are not read). 1988-2003 (EOD--Extension) and 2004-2017 (CS Extension, IF177) are not edited: "
                + "their site schemes and Collaborative Stage tables are not in this project.") { r in
            guard let site = r[.site], ICDO3.isPairedSite(site), let lat = r[.laterality], ["4", "9"].contains(lat),
                  let year = r.diagnosisYear, year >= 2018, let category = extensionCategory(r) else { return .skip }
            return ["IS", "L", "RE"].contains(category)
                ? .fail("paired organ \(site) with laterality \(lat) but eodPrimaryTumor \(r[.eodPrimary] ?? "-") is "
                        + "\(category == "IS" ? "in situ" : category == "L" ? "localized" : "regional by direct extension") in the tumor's schema; review") : .pass
        },
        Edit(id: "NAMESEX", name: "Sex Assigned at Birth, Name-First, Date of Birth (NAACCR)", kind: .interField,
             items: [.sex, .firstName, .birthDate], override: (.overrideNameSex, ["1"]),
             note: "The NAACCR table of first names by sex and birth decade is not in this project: this checks a short list of "
                + "first names that US birth records give almost only to one sex, for births from 1920.") { r in
            guard let sex = r[.sex], ["1", "2"].contains(sex), let name = r[.firstName]?.uppercased(),
                  let birth = EditDate(r[.birthDate]), birth.year >= 1920 else { return .skip }
            if sex == "1", EditCatalog.femaleOnlyNames.contains(name) { return .fail("first name \(name) with sexAssignedAtBirth 1 (male); review") }
            if sex == "2", EditCatalog.maleOnlyNames.contains(name) { return .fail("first name \(name) with sexAssignedAtBirth 2 (female); review") }
            return .pass
        },
        Edit(id: "ACSN", name: "Accession Number, Class of Case, Seq Number (CoC)", kind: .interField,
             items: [.accession, .classOfCase, .sequenceHospital, .firstContact, .lastContact], override: (.overrideAcsnClassSeq, ["1"]),
             note: "Item 1985 (Over-ride Acsn/Class/Seq): for the only or first case at the facility (hospital sequence 00, 01, 60, 61) "
                + "of class 00, 10-14 or 40, the accession number starts with the year of first contact; first diagnosed at autopsy "
                + "(class 38): the only or first case's accession year equals the years of first and of last contact, a later case's "
                + "year of first contact equals its year of last contact.") { r in
            guard let accession = r[.accession], isDigits(accession, count: 9), let seq = r[.sequenceHospital], let seqNumber = Int(seq),
                  let classOfCase = r[.classOfCase], let contact = EditDate(r[.firstContact]) else { return .skip }
            let accessionYear = Int(accession.prefix(4))!
            let first = ["00", "01", "60", "61"].contains(seq)
            if classOfCase == "38" {
                guard let last = EditDate(r[.lastContact]) else { return .skip }
                if first {
                    return accessionYear == contact.year && accessionYear == last.year ? .pass
                        : .fail("class of case 38 (autopsy), first case: accession number \(accession) should start with the year of first contact (\(contact.year)) and of last contact (\(last.year))")
                }
                guard seqNumber > 1 && !(60...61).contains(seqNumber) else { return .skip }
                return contact.year == last.year ? .pass
                    : .fail("class of case 38 (autopsy): the year of first contact (\(contact.year)) should equal the year of last contact (\(last.year))")
            }
            guard first, classOfCase == "00" || classOfCase == "40" || ("10"..."14").contains(classOfCase) else { return .skip }
            return accessionYear == contact.year ? .pass
                : .fail("accession number \(accession) should start with \(contact.year), the year of first contact of the first case at the facility")
        },
        Edit(id: "ST01", name: "Summary Stage 2018, Mets at DX (SEER)", kind: .interField,
             items: [.stage2018, .metsBone, .metsBrain, .metsLiver, .metsLung, .metsDistantNodes, .metsOther],
             note: "Any distant metastasis at diagnosis (1) means distant stage (7). Unsure of the exact SEER edit.") { r in
            guard let stage = r[.stage2018], CodeSets.stage2018.contains(stage) else { return .skip }
            let mets: [Item] = [.metsBone, .metsBrain, .metsLiver, .metsLung, .metsDistantNodes, .metsOther]
            guard let site = mets.first(where: { r[$0] == "1" }) else { return .pass }
            return stage == "7" ? .pass : .fail("\(site.naaccrId) is 1 (metastasis at diagnosis) but summaryStage2018 is \(stage), not 7 (distant)")
        },
        Edit(id: "ND01", name: "Regional Nodes Positive, Regional Nodes Examined (SEER)", kind: .interField, items: [.nodesPositive, .nodesExamined],
             note: "No nodes examined (00) means positive 98; when both are counts, positive cannot exceed examined.") { r in
            guard let p = r[.nodesPositive].flatMap(Int.init), let e = r[.nodesExamined].flatMap(Int.init) else { return .skip }
            if e == 0 { return p == 98 ? .pass : .fail("regionalNodesExamined 00 requires regionalNodesPositive 98, not \(r[.nodesPositive]!)") }
            if p <= 90, e <= 90, p > e { return .fail("regionalNodesPositive \(p) is more than regionalNodesExamined \(e)") }
            return .pass
        },
        Edit(id: "RX01", name: "RX Summ--Surg Prim Site, Reason for No Surgery (NAACCR)", kind: .interField, items: [.surgery, .noSurgeryReason]) { r in
            guard let s = r[.surgery], CodeSets.surgery.contains(s), let reason = r[.noSurgeryReason] else { return .skip }
            if (10...90).contains(Int(s)!) { return reason == "0" ? .pass : .fail("surgery \(s) was done, so reasonForNoSurgery must be 0, not \(reason)") }
            if s == "00" { return reason == "0" ? .fail("no surgery (00) needs a reason for no surgery other than 0") : .pass }
            return .pass
        },
        Edit(id: "RX02", name: "RX Summ--Radiation, Reason for No Radiation (NAACCR)", kind: .interField, items: [.radiation, .noRadiationReason]) { r in
            guard let rad = r[.radiation], CodeSets.radiation.contains(rad), let reason = r[.noRadiationReason] else { return .skip }
            if ["1", "2", "3", "4", "5"].contains(rad) { return reason == "0" ? .pass : .fail("radiation \(rad) was given, so reasonForNoRadiation must be 0, not \(reason)") }
            if rad == "0" { return reason == "0" ? .fail("no radiation (0) needs a reason for no radiation other than 0") : .pass }
            return .pass
        },
        Edit(id: "RX03", name: "RX Summ--Surg/Rad Seq, Surg Prim Site, Radiation (NAACCR)", kind: .interField,
             items: [.surgeryRadiationSequence, .surgery, .radiation]) { r in
            guard let seq = r[.surgeryRadiationSequence], let s = r[.surgery], let rad = r[.radiation] else { return .skip }
            let neither = s == "00" || rad == "0"
            if neither { return seq == "0" ? .pass : .fail("without both surgery and radiation the surgery/radiation sequence must be 0, not \(seq)") }
            return .pass
        },
        Edit(id: "RX04", name: "RX Date--Surgery, RX Summ--Surg Prim Site (NAACCR)", kind: .interField,
             items: [.surgeryDate, .surgery, .surgery2023, .scopeNodes, .surgeryOther],
             note: "Item 1200 is the date of the first surgical procedure of any kind (primary site 1290/1291, scope of regional "
                + "lymph node surgery 1292, other regional or distant surgery 1294): with none done or known (primary site 00 or "
                + "99, A000/B000 or A990/B990 from 2023; scope 0 or 9; other 0 or 9) there is no date. NAACCR v26 has no date "
                + "flags, so a blank date with surgery done is not edited (it may be unknown).") { r in
            let primary = r[.surgery2023] ?? r[.surgery]
            guard let primary, r[.surgeryDate] != nil else { return .skip }
            let none: Set<String> = ["00", "99", "A000", "A990", "B000", "B990"]
            guard none.contains(primary), ["0", "9", nil].contains(r[.scopeNodes]), ["0", "9", nil].contains(r[.surgeryOther]) else { return .pass }
            return .fail("no surgery done or known (surgery of primary site \(primary), scope \(r[.scopeNodes] ?? "blank"), other \(r[.surgeryOther] ?? "blank")) "
                         + "but rxDateSurgery is \(r[.surgeryDate]!)")
        },
        treatmentDate("RX05", "RX Date--Chemo, RX Summ--Chemo (NAACCR)", date: .chemoDate, summary: .chemo, notGiven: systemicNotGiven),
        treatmentDate("RX06", "RX Date--Radiation, RX Summ--Radiation (NAACCR)", date: .radiationDate, summary: .radiation, notGiven: ["0", "7", "8", "9"]),
        treatmentDate("RX07", "RX Date--Hormone, RX Summ--Hormone (NAACCR)", date: .hormoneDate, summary: .hormone, notGiven: systemicNotGiven),
        treatmentDate("RX08", "RX Date--BRM, RX Summ--BRM (NAACCR)", date: .immunotherapyDate, summary: .immunotherapy, notGiven: systemicNotGiven),
        treatmentDate("RX09", "RX Date--Other, RX Summ--Other (NAACCR)", date: .otherTreatmentDate, summary: .otherTreatment, notGiven: ["0", "7", "8", "9"]),
        Edit(id: "RAD01", name: "Phase I Radiation Treatment Modality, RX Date--Radiation (NAACCR)", kind: .interField,
             items: [.radiationModality, .radiationDate],
             note: "Items 1506 and 1210: no radiation (modality 00) has no date radiation started. NAACCR v26 has no date flags, "
                + "so a blank date with radiation given is not edited (it may be unknown).") { r in
            guard r[.radiationModality] == "00" else { return .skip }
            return r[.radiationDate] == nil ? .pass : .fail("phase1RadiationTreatmentModality 00 (no radiation) but rxDateRadiation is \(r[.radiationDate]!)")
        },
        Edit(id: "RAD02", name: "Phase I, II, III Radiation Treatment Modality (NAACCR)", kind: .interField,
             items: [.radiationModality, .radiationModality2, .radiationModality3],
             note: "Items 1506, 1516, 1526: a later phase exists only after an earlier one; with no radiation (00) or unknown (99) "
                + "in phase I, phases II and III are the same code or blank, and phase III needs a phase II.") { r in
            guard let first = r[.radiationModality] else { return .skip }
            let second = r[.radiationModality2], third = r[.radiationModality3]
            if ["00", "99"].contains(first) {
                for (id, value) in [("phase2RadiationTreatmentModality", second), ("phase3RadiationTreatmentModality", third)] {
                    if let value, value != first { return .fail("phase1RadiationTreatmentModality \(first) but \(id) \(value)") }
                }
                return .pass
            }
            if let third, !["00", "99"].contains(third), second == nil || second == "00" {
                return .fail("phase3RadiationTreatmentModality \(third) without a phase II (phase2RadiationTreatmentModality \(second ?? "blank"))")
            }
            return .pass
        },
        Edit(id: "RAD03", name: "Phase I Radiation Treatment Modality, RX Summ--Radiation (NAACCR)", kind: .interField,
             items: [.radiationModality, .radiation],
             note: "Items 1506 and 1360: radiation given in phase I (01-16, 98) is not 'no radiation' (0) in the summary, and a "
                + "summary of radiation given (1-5) is not phase I modality 00.") { r in
            guard let modality = r[.radiationModality], let summary = r[.radiation] else { return .skip }
            let given = (1...16).contains(Int(modality) ?? -1) || modality == "98"
            if given && summary == "0" { return .fail("phase1RadiationTreatmentModality \(modality) (radiation given) but rxSummRadiation 0 (none)") }
            if modality == "00" && ["1", "2", "3", "4", "5"].contains(summary) {
                return .fail("rxSummRadiation \(summary) (radiation given) but phase1RadiationTreatmentModality 00 (none)")
            }
            return .pass
        },
        Edit(id: "DX01", name: "Type of Reporting Source, Diagnostic Confirmation (NAACCR)", kind: .interField,
             items: [.reportingSource, .confirmation],
             note: "A death-certificate-only case (7) has unknown confirmation (9). Unsure of the exact edit name.") { r in
            guard r[.reportingSource] == "7", let c = r[.confirmation] else { return .skip }
            return c == "9" ? .pass : .fail("a death-certificate-only case (reporting source 7) must have diagnosticConfirmation 9, not \(c)")
        },
    ] }

    /// IF15 restricted to an age range (SEER's adult and NPCR's pediatric variants share the override).
    static func ageSiteMorphology(_ id: String, _ name: String, ages: ClosedRange<Int>) -> Edit {
        let base = EditCatalog.interFieldIF15
        // Item 1990: 1 (combination reviewed) and 3 (both) clear it; 2 (diagnosed in utero) is for the date edits.
        return Edit(id: id, name: name, kind: .interField, items: [.age, .site, .histology], override: (.overrideAgeSiteMorph, ["1", "3"]),
                    note: "IF15 for ages \(ages.lowerBound)-\(ages.upperBound) only.") { r in
            guard let age = r[.age].flatMap(Int.init), ages.contains(age) else { return .skip }
            return base(r)
        }
    }

    static let interFieldIF15: @Sendable (EditRecord) -> EditOutcome = { r in
        guard let age = r[.age].flatMap(Int.init), age != 999, let m = siteMorphology(r) else { return .skip }
        if age >= 15, inRange(m.histology, 9510...9514, 8960...8960, 8970...8970, 9490...9490, 9500...9500) {
            return .fail("histology \(m.histology) is a childhood tumor, very rare at age \(age); review")
        }
        if age < 15, m.site == "C619" || m.site.hasPrefix("C50"), inRange(m.histology, 8000...8576) {
            return .fail("carcinoma of \(m.site) at age \(age) is extremely rare; review")
        }
        return .pass
    }

    /// Histologies ICD-O-3 lists as malignant only that are reportable as benign brain and CNS tumors from 2004 (item
    /// 2040's list of benign histologies that pass without review for diagnoses after 2003).
    static let benignBrainHistologies: Set<Int> = [8146, 8271, 8861, 8897, 9121, 9122, 9131, 9161, 9350, 9351, 9352, 9360, 9361,
                                                    9383, 9384, 9394, 9412, 9413, 9444, 9492, 9493, 9506, 9531, 9532, 9533, 9534,
                                                    9537, 9541, 9550, 9562, 9570]

    /// First names US birth records give almost only to one sex (Social Security name lists), upper case.
    static let femaleOnlyNames: Set<String> = ["MARY", "PATRICIA", "JENNIFER", "LINDA", "ELIZABETH", "BARBARA", "SUSAN", "JESSICA",
                                               "SARAH", "KAREN", "LISA", "NANCY", "BETTY", "MARGARET", "SANDRA", "ASHLEY", "DOROTHY",
                                               "KIMBERLY", "EMILY", "DONNA", "MICHELLE", "CAROL", "AMANDA", "MELISSA", "DEBORAH", "MARÍA", "ZOË"]
    static let maleOnlyNames: Set<String> = ["JAMES", "ROBERT", "JOHN", "MICHAEL", "DAVID", "WILLIAM", "RICHARD", "JOSEPH", "THOMAS",
                                             "CHARLES", "CHRISTOPHER", "DANIEL", "MATTHEW", "ANTHONY", "MARK", "DONALD", "STEVEN",
                                             "PAUL", "ANDREW", "JOSHUA", "KENNETH", "KEVIN", "BRIAN", "GEORGE", "EDWARD", "JOSÉ"]

    /// SEER IF22's combinations that need review when the patient has several primaries: an ill-defined or unknown site
    /// (C76.0-C76.8, C80.9) with a histology below 9590; a lymph node site (C77) with a histology that is not a lymphoma
    /// or lymphoid neoplasm arising there (9590-9729, 9735-9738, 9811-9818, 9823, 9827, 9837); a blood, marrow or
    /// hematopoietic site (C42.0-C42.4) with a non-hematopoietic histology (outside 9590-9993); any site with 9740-9758.
    static func illDefinedMultiple(site: String, histology h: Int) -> String? {
        if ("C760"..."C768").contains(site) || site == "C809" { if h < 9590 { return "ill-defined or unknown site \(site) among multiple primaries" } }
        if site.hasPrefix("C77"), !inRange(h, 9590...9729, 9735...9738, 9811...9818, 9823...9823, 9827...9827, 9837...9837) {
            return "lymph node site \(site) with a histology other than lymphoma (\(h))"
        }
        if ("C420"..."C424").contains(site), !(9590...9993).contains(h) { return "hematopoietic site \(site) with histology \(h)" }
        if (9740...9758).contains(h) { return "histology \(h) (mast cell / histiocytic) among multiple primaries" }
        return nil
    }
}
