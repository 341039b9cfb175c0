import CivilCalendar
import Coding
import NAACCR
import Staging

/// The rest of a full abstract (about 100 items per patient and tumor, like a hospital abstract): addresses,
/// treatment dates and reasons, extent of disease, nodes, metastases, markers, follow-up. Values agree with
/// the core items already set (stage, surgery, radiation, vital status), so the demo registry passes the edits.
extension SyntheticRegistryGenerator.Iterator {
    static let cities = [("WICHITA", "672"), ("TOPEKA", "666"), ("OVERLAND PARK", "662"), ("LAWRENCE", "660"),
                         ("MANHATTAN", "665"), ("SALINA", "674"), ("HUTCHINSON", "675"), ("EMPORIA", "668")]
    static let streets = ["MAIN ST", "OAK AVE", "ELM ST", "PRAIRIE RD", "SUNFLOWER LN", "MILL CREEK DR", "2ND ST", "CHURCH ST"]

    mutating func address() -> (street: String, city: String, postalCode: String) {
        let (city, zip3) = Self.cities.randomElement(using: &random)!
        let street = "\(Int.random(in: 1...9999, using: &random)) \(Self.streets.randomElement(using: &random)!)"
        return (street, city, zip3 + String(format: "%02d", Int.random(in: 1...99, using: &random)))
    }

    mutating func addPatientDetails(_ patient: inout NaaccrPatient) {
        func set(_ id: String, _ value: String) { patient[keys.patient[id]!] = value }
        let home = address()
        set("nameMiddle", String("ABCDEFGHJKLMNPRSTW".randomElement(using: &random)!))
        set("socialSecurityNumber", "999999999")  // the standard's "unknown": no real number anywhere
        set("telephone", "9999999999")
        set("addrCurrentNoStreet", home.street)
        set("addrCurrentCity", home.city)
        set("addrCurrentState", "KS")
        set("addrCurrentPostalCode", home.postalCode)
        set("birthplaceCountry", patient[keys.patient["birthplaceState"]!] == "ZZ" ? "ZZU" : "USA")
        // SEER IF93: race unknown (99) is 99 in every race item; otherwise no further race (88).
        let raceUnknown = patient[keys.patient["race1"]!] == "99"
        for id in ["race2", "race3", "race4", "race5"] { set(id, raceUnknown ? "99" : "88") }
        set("ihsLink", "0")
        let dead = patient[keys.patient["vitalStatus"]!] == "0"
        set("icdRevisionNumber", dead ? "1" : "0")
        if dead { set("placeOfDeathState", "KS") }
    }

    mutating func addTumorDetails(_ tumor: inout NaaccrTumor, patient: NaaccrPatient, profileName: String, number: Int) {
        func get(_ id: String) -> String? { tumor[keys.tumor[id]!] }
        func set(_ id: String, _ value: String) { tumor[keys.tumor[id]!] = value }
        func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &random) < p }
        let stage = get("summaryStage2018") ?? "9"
        let dxDate = get("dateOfDiagnosis")!
        let dxYear = Int(dxDate.prefix(4))!
        let surgery = (get("rxSummSurgPrimSite") ?? "00") != "00"
        let radiation = get("rxSummRadiation") == "1"
        let chemo = (get("rxSummChemo") ?? "00") != "00"
        let hormone = (get("rxSummHormone") ?? "00") != "00"

        let home = address()
        set("addrAtDxNoStreet", home.street)
        set("addrAtDxCity", home.city)
        set("addrAtDxPostalCode", home.postalCode)
        set("countyAtDxAnalysis", get("countyAtDx")!)
        set("censusTract2010", String(format: "%04d%02d", Int.random(in: 1...99, using: &random), 0))
        set("ambiguousTerminologyDx", "0")
        set("multTumRptAsOnePrim", "00")
        set("multiplicityCounter", "01")
        set("npiReportingFacility", "19\(get("reportingFacility")!.suffix(8))")

        // Treatment: dates follow the diagnosis; reasons and sequences agree with what was given.
        let dxDays = dayNumber(dxDate)
        let lastContactDays = dayNumber(patient[keys.patient["dateOfLastContact"]!]!)
        var firstTreatment = Int.max
        func treatmentDate(_ id: String, after days: ClosedRange<Int>) {
            let day = Swift.min(dxDays + Int.random(in: days, using: &random), lastContactDays)
            firstTreatment = Swift.min(firstTreatment, day)
            set(id, date(day))
        }
        if surgery, let surgeryDate = get("rxDateSurgery") {
            set("rxDateMostDefinSurg", surgeryDate)
            firstTreatment = dayNumber(surgeryDate)
        }
        if radiation { treatmentDate("rxDateRadiation", after: 30...120) }
        if chemo { treatmentDate("rxDateChemo", after: 14...90) }
        if hormone { treatmentDate("rxDateHormone", after: 30...150) }
        if chemo || hormone {
            set("rxDateSystemic", date(Swift.min(get("rxDateChemo").map(dayNumber) ?? .max, get("rxDateHormone").map(dayNumber) ?? .max)))
        }
        if firstTreatment != .max { set("dateInitialRxSeer", date(firstTreatment)) }
        set("rxSummTreatmentStatus", firstTreatment != .max ? "1" : chance(0.5) ? "2" : "0")
        set("reasonForNoSurgery", surgery ? "0" : stage == "7" ? "1" : chance(0.8) ? "1" : "2")
        set("reasonForNoRadiation", radiation ? "0" : "1")
        set("rxSummScopeRegLnSur", surgery ? String(Int.random(in: 2...5, using: &random)) : "0")
        set("rxSummSurgOthRegDis", "0")
        set("rxSummSurgicalMargins", surgery ? (chance(0.85) ? "0" : "1") : "8")
        set("rxSummSurgRadSeq", surgery && radiation ? "3" : "0")
        set("rxSummSystemicSurSeq", surgery && (chemo || hormone) ? "3" : "0")
        set("rxSummBrm", "00")
        set("rxSummOther", "0")
        set("rxSummTransplntEndocr", "00")
        set("phase1RadiationTreatmentModality", radiation ? "02" : "00")
        set("rxHospSurgPrimSite", get("rxSummSurgPrimSite") ?? "00")
        set("rxHospRadiation", radiation ? "1" : "0")
        set("rxHospChemo", get("rxSummChemo") ?? "00")

        // Extent of disease (2018 and later), size, nodes and metastases consistent with Summary Stage 2018.
        if dxYear >= 2018 {
            set("derivedSummaryStage2018", stage)
            set("eodPrimaryTumor", stage == "9" ? "999" : stage == "1" ? "100" : "300")
            set("eodRegionalNodes", stage == "9" ? "999" : ["3", "4"].contains(stage) ? "300" : "000")
            set("eodMets", stage == "7" ? "10" : stage == "9" ? "99" : "00")
        }
        let size = stage == "9" ? "999" : String(format: "%03d", Int.random(in: stage == "1" ? 5...30 : 15...90, using: &random))
        set("tumorSizeClinical", size)
        set("tumorSizePathologic", surgery ? size : "998")
        set("tumorSizeSummary", size)
        if surgery {
            // Colon resections: at least 12 nodes examined in most (the 12RLN measure).
            let examined = profileName == "Colon and rectum" && chance(0.88) ? Int.random(in: 12...30, using: &random) : Int.random(in: 1...25, using: &random)
            let positive = ["3", "4"].contains(stage) ? Int.random(in: 1...examined, using: &random) : 0
            set("regionalNodesExamined", String(format: "%02d", examined))
            set("regionalNodesPositive", String(format: "%02d", positive))
            set("gradePathological", get("gradeClinical") ?? "9")
            set("lymphVascularInvasion", positive > 0 ? "1" : "0")
        } else {
            set("regionalNodesExamined", "00")
            set("regionalNodesPositive", "98")
            set("gradePathological", "9")
            set("lymphVascularInvasion", "9")
        }
        let metastaticSite = stage == "7" ? ["metsAtDxBone", "metsAtDxBrain", "metsAtDxLiver", "metsAtDxLung", "metsAtDxDistantLn",
                                             "metsAtDxOther"].randomElement(using: &random) : nil
        for id in ["metsAtDxBone", "metsAtDxBrain", "metsAtDxLiver", "metsAtDxLung", "metsAtDxDistantLn", "metsAtDxOther"] {
            set(id, id == metastaticSite ? "1" : stage == "9" ? "9" : "0")
        }
        // AJCC TNM (8th edition, 2018 and later), consistent with the summary stage: pathologic after surgery, else clinical.
        if dxYear >= 2018, stage != "9", stage != "8" {
            let t = stage == "0" ? "Tis" : stage == "1" ? (chance(0.5) ? "T1c" : "T2") : "T3"
            let n = ["3", "4"].contains(stage) ? "N1" : "N0"
            let m = stage == "7" ? "M1" : "M0"
            let group = stage == "0" ? "0" : stage == "7" ? "4" : n == "N1" ? (chance(0.5) ? "3A" : "3B") : t == "T3" ? "2A" : t == "T2" ? "1B" : "1A"
            let prefix = surgery ? "ajccTnmPath" : "ajccTnmClin"
            set(prefix + "T", t)
            set(prefix + "N", n)
            set(prefix + "M", m)
            set(prefix + "StageGroup", group)
        }
        // Diagnostic and staging procedure: breast cancers are mostly diagnosed by needle biopsy of the primary.
        set("rxSummDxStgProc", profileName == "Breast" ? (chance(0.88) ? "02" : "00") : (chance(0.5) ? "02" : "00"))
        if profileName == "Breast" { set("her2OverallSummary", chance(0.15) ? "1" : "0") }

        // Follow-up, as of the patient's last contact.
        let alive = patient[keys.patient["vitalStatus"]!] == "1"
        set("cancerStatus", alive ? (stage == "7" ? "2" : "1") : "2")
        set("dateOfLastCancerStatus", patient[keys.patient["dateOfLastContact"]!]!)
        set("followUpSource", alive ? "2" : "1")
        set("nextFollowUpSource", alive ? (chance(0.7) ? "1" : "2") : "8")
        set("physicianFollowUp", String(format: "MD%06d", Int.random(in: 1...400, using: &random)))
        // The abstract was completed some weeks after the patient first came (CoC: 90% within six months).
        if let firstContact = get("dateOf1stContact"), firstContact.count == 8 {
            set("dateCaseCompleted", date(dayNumber(firstContact) + (chance(0.93) ? Int.random(in: 20...170, using: &random) : Int.random(in: 190...320, using: &random))))
        }
        set("textRemarks", "Synthetic demo abstract \(number); not a real patient.")
        if dxYear >= 2018 { stageBySchema(&tumor, patient: patient, intendedStage: stage) }
    }

    static var stager: Stager { .eod }

    /// Makes a 2018+ abstract agree with its EOD 2018 schema: the discriminator when the site needs one, the Schema ID,
    /// EOD codes that derive the intended Summary Stage 2018 (when the schema has such codes), every schema input a
    /// standard setter requires or that holds a code the schema does not list set to the schema's "unknown" code, and
    /// Derived Summary Stage 2018 as the algorithm derives it.
    mutating func stageBySchema(_ tumor: inout NaaccrTumor, patient: NaaccrPatient, intendedStage: String) {
        let stager = Self.stager
        let keys = self.keys
        func get(_ id: String) -> String? { keys.tumor[id].flatMap { tumor[$0] } ?? keys.patient[id].flatMap { patient[$0] } }
        func set(_ id: String, _ value: String?) { if let key = keys.tumor[id] { tumor[key] = value } }
        var selection = stager.selectSchema(get)
        if case .needsDiscriminator(let candidates) = selection, let first = candidates.first.flatMap(stager.algorithm.schema(id:)) {
            // The first discriminator codes that select one schema.
            func codes(_ key: String) -> [String] { first.inputs.first { $0.key == key }.map { stager.codes(of: $0) } ?? [""] }
            search: for one in codes("discriminator_1") {
                for two in codes("discriminator_2") {
                    set("schemaDiscriminator1", one.isEmpty ? nil : one)
                    set("schemaDiscriminator2", two.isEmpty ? nil : two)
                    selection = stager.selectSchema(get)
                    if case .schema = selection { break search }
                }
            }
        }
        guard case .schema(let schema) = selection, let year = get("dateOfDiagnosis").flatMap({ Int($0.prefix(4)) }) else { return }
        set("schemaId", schema.schemaId)
        let eodKeys = ["eod_primary_tumor", "eod_regional_nodes", "eod_mets"]
        let eodInputs = eodKeys.compactMap { key in schema.inputs.first { $0.key == key } }
        // An invasive tumor's extension is not in situ (or benign); a paired organ with bilateral or unknown laterality
        // has no extension coded in situ, localized or regional by direct extension (SEER IF41).
        // An unspecific site (colon NOS, mouth NOS) has no localized extension (SEER IF40).
        let sideUnknown = ["4", "9"].contains(get("laterality") ?? "")
        let unspecificSite = ICDO3.unspecificSitesForExtension.contains(get("primarySite") ?? "")
        let excluding: Set<String> = sideUnknown ? ["IS", "B", "L", "RE"] : unspecificSite ? ["IS", "B", "L"] : ["IS", "B"]
        let choiceKey = "\(schema.id)|\(get("histologicTypeIcdO3") ?? "")|\(intendedStage)|\(excluding.sorted())"
        if eodChoices[choiceKey] == nil {
            eodChoices[choiceKey] = .some(findEOD(schema, inputs: eodInputs, stage: intendedStage, excluding: excluding, get))
        }
        if let codes = eodChoices[choiceKey]!, eodInputs.count == 3 {
            for (input, code) in zip(eodInputs, codes) { set(input.item!, code) }
        }
        let selectionKeys: Set<String> = ["year_dx", "site", "hist", "behavior", "discriminator_1", "discriminator_2", "sex_at_birth"]
        for input in schema.inputs where !selectionKeys.contains(input.key) {
            guard let item = input.item else { continue }
            let value = get(item)
            if let value, stager.check(input, value: value).valid { continue }
            if value != nil || input.requiredBy(year: year).contains(where: { $0.hasSuffix("_REQUIRED") }) { set(item, stager.unknownCode(of: input)) }
        }
        if let derived = stager.derive(get, schema: schema, only: ["ss2018_derived"]).outputs["derivedSummaryStage2018"] {
            set("derivedSummaryStage2018", derived)
        }
    }

    /// EOD Primary Tumor, Regional Nodes and Mets codes the schema derives `stage` from (the lowest codes that do,
    /// nodes and mets first), with no primary tumor code the schema maps to an `excluding` SS2018 T category; nil when
    /// none does.
    private func findEOD(_ schema: StagingAlgorithm.Schema, inputs: [StagingAlgorithm.Schema.Input], stage: String,
                         excluding: Set<String>, _ get: (String) -> String?) -> [String]? {
        guard inputs.count == 3, stage != "9" else { return nil }
        let stager = Self.stager
        let tumorCodes = stager.codes(of: inputs[0]).filter { primary in
            let category = stager.derive({ $0 == inputs[0].item! ? primary : get($0) }, schema: schema, only: ["ss2018_t"]).outputs["ss2018_t"]
            return !excluding.contains(category ?? "")
        }
        let (nodeCodes, metsCodes) = (stager.codes(of: inputs[1]), stager.codes(of: inputs[2]))
        for mets in metsCodes {
            for nodes in nodeCodes {
                for primary in tumorCodes {
                    let trial = [inputs[0].item!: primary, inputs[1].item!: nodes, inputs[2].item!: mets]
                    let derived = stager.derive({ trial[$0] ?? get($0) }, schema: schema, only: ["ss2018_derived"]).outputs["derivedSummaryStage2018"]
                    if derived == stage { return [primary, nodes, mets] }
                }
            }
        }
        return nil
    }

    private func dayNumber(_ ccyymmdd: String) -> Int {
        let digits = Array(ccyymmdd.utf8).map { Int($0) - 48 }
        return CalendarDate(year: digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3],
                            month: digits[4] * 10 + digits[5], day: digits[6] * 10 + digits[7])!.daysSinceEpoch
    }
}
