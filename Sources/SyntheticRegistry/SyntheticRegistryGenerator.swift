import CivilCalendar
import Coding
import Foundation
import NAACCR

/// Generates a reproducible synthetic registry (no real patient anywhere): patients with one or more
/// tumors, valid ICD-O-3 site/histology pairs in realistic proportions, Summary Stage 2018, first-course
/// treatment, and follow-up whose survival depends on site, stage and age.
public struct SyntheticRegistryGenerator: Sequence, Sendable {
    public let patientCount: Int
    public let seed: UInt64
    /// The Patient ID Number (item 20) of the first patient; the others follow in order.
    public let firstPatientNumber: Int
    public let dictionary: NaaccrDictionary
    /// Diagnoses fall in these years.
    public let firstDiagnosisYear = 2010, lastDiagnosisYear = 2024
    /// Follow-up ends on this date.
    public let studyCutoff = (year: 2025, month: 12, day: 31)

    public init(patientCount: Int = 20_000, seed: UInt64 = 2026, firstPatientNumber: Int = 1, dictionary: NaaccrDictionary = .v26) {
        self.patientCount = patientCount
        self.firstPatientNumber = firstPatientNumber
        self.seed = seed
        self.dictionary = dictionary
    }

    /// The NaaccrData-level header for files written from this registry.
    public func header(recordType: String = "A") -> NaaccrHeader {
        var header = NaaccrHeader(baseDictionaryUri: dictionary.uri, recordType: recordType)
        header.values[dictionary.key("registryId")!.index] = "0000009999"
        return header
    }

    public func makeIterator() -> Iterator { Iterator(generator: self) }

    public struct Iterator: IteratorProtocol {
        let generator: SyntheticRegistryGenerator
        var random: SeededGenerator
        var produced = 0
        let keys: Keys
        /// EOD codes found to derive a stage, by schema, histology and stage (bounded by the profiles' schemas).
        var eodChoices: [String: [String]?] = [:]

        init(generator: SyntheticRegistryGenerator) {
            self.generator = generator
            random = SeededGenerator(seed: generator.seed)
            keys = Keys(generator.dictionary)
        }

        public mutating func next() -> NaaccrPatient? {
            guard produced < generator.patientCount else { return nil }
            produced += 1
            return makePatient(number: generator.firstPatientNumber + produced - 1)
        }

        struct Keys {
            let patient: [String: NaaccrItemKey]
            let tumor: [String: NaaccrItemKey]
            init(_ d: NaaccrDictionary) {
                var p: [String: NaaccrItemKey] = [:], t: [String: NaaccrItemKey] = [:]
                for item in d.items[.patient]! { p[item.naaccrId] = d.key(item.naaccrId) }
                for item in d.items[.tumor]! { t[item.naaccrId] = d.key(item.naaccrId) }
                patient = p
                tumor = t
            }
        }

        static let lastNames = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
                                "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
                                "Jackson", "Martin", "Lee", "Nguyễn", "Thompson", "White", "Harris", "Sánchez", "Clark", "O'Brien",
                                "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Hill", "Chen"]
        static let femaleNames = ["Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah",
                                  "Karen", "Lisa", "Nancy", "Betty", "Zoë", "Margaret", "Sandra", "Ashley", "María", "Dorothy"]
        static let maleNames = ["James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas",
                                "Charles", "Christopher", "Daniel", "Matthew", "José", "Anthony", "Mark", "Donald", "Wei", "Paul"]
        public static let counties = ["045", "091", "173", "177", "209", "161", "015", "051", "113", "169", "059", "021"]

        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }

        /// Whole years between two day numbers (age at an event, as NAACCR item 230 counts it).
        func completedYears(from birth: Int, to day: Int) -> Int {
            let b = CalendarDate(daysSinceEpoch: birth), d = CalendarDate(daysSinceEpoch: day)
            return d.year - b.year - ((d.month, d.day) < (b.month, b.day) ? 1 : 0)
        }
        func date(_ days: Int) -> String {
            let d = CalendarDate(daysSinceEpoch: days)
            return "\(d.year)\(two(d.month))\(two(d.day))"
        }

        mutating func makePatient(number: Int) -> NaaccrPatient {
            var patient = NaaccrPatient(dictionary: generator.dictionary)
            let profile = random.weighted(CancerSiteProfile.all.map { ($0, $0.weight) })
            let sex = profile.sex ?? (Bool.random(using: &random) ? "1" : "2")
            let age = Swift.min(99, Swift.max(18, Int((profile.meanAge + 12 * gaussian()).rounded())))
            let dxYear = Int.random(in: generator.firstDiagnosisYear...generator.lastDiagnosisYear, using: &random)
            let dxDays = CalendarDate(year: dxYear, month: 1, day: 1)!.daysSinceEpoch + Int.random(in: 0..<365, using: &random)
            let birthDays = dxDays - age * 365 - Int.random(in: 0..<365, using: &random)
            let cutoffDays = CalendarDate(year: generator.studyCutoff.year, month: generator.studyCutoff.month,
                                          day: generator.studyCutoff.day)!.daysSinceEpoch

            func setP(_ id: String, _ value: String) { patient[keys.patient[id]!] = value }
            setP("patientIdNumber", String(format: "%08d", number))
            setP("nameLast", Self.lastNames.randomElement(using: &random)!)
            setP("nameFirst", (sex == "2" ? Self.femaleNames : Self.maleNames).randomElement(using: &random)!)
            setP("dateOfBirth", date(birthDays))
            setP("sexAssignedAtBirth", sex)
            setP("race1", random.weighted([("01", 76), ("02", 13), ("04", 2), ("05", 1), ("96", 3), ("03", 1), ("99", 4)]))
            setP("spanishHispanicOrigin", random.weighted([("0", 82), ("1", 8), ("6", 6), ("9", 4)]))
            setP("birthplaceState", random.weighted([("KS", 60), ("MO", 15), ("NE", 5), ("OK", 5), ("ZZ", 15)]))

            // Tumors: most patients have one; some a second, later primary.
            var tumorDiagnoses = [(profile, dxDays, age)]
            if Double.random(in: 0..<1, using: &random) < 0.08 {
                // A different site group: the same primary twice would be one tumor (SEER IR09).
                let second = random.weighted(CancerSiteProfile.all.filter { ($0.sex == nil || $0.sex == sex) && $0.name != profile.name }
                    .map { ($0, $0.weight) })
                let later = dxDays + Int.random(in: 200...2500, using: &random)
                if later < cutoffDays - 30 { tumorDiagnoses.append((second, later, age + (later - dxDays) / 365)) }
            }

            // Follow-up: the earliest of cancer death, other death, loss to follow-up and the cutoff.
            var deathDays = Int.max
            var cause = ""
            var stageByTumor: [String] = []
            for (p, days, tumorAge) in tumorDiagnoses {
                let stage = random.weighted(p.stages)
                stageByTumor.append(stage)
                let rate = stage == "1" ? p.hazard.localized : stage == "7" ? p.hazard.distant
                    : stage == "9" ? p.hazard.unknown : p.hazard.regional
                let cancerDeath = days + Int(exponential(rate: rate) * 365.25)
                if cancerDeath < deathDays { deathDays = cancerDeath; cause = p.causeOfDeath }
                let background = 0.00003 * exp(0.085 * Double(tumorAge))  // Gompertz-like yearly mortality
                let otherDeath = days + Int(exponential(rate: background) * 365.25)
                if otherDeath < deathDays { deathDays = otherDeath; cause = "I219" }
            }
            let lastFollowUp = Double.random(in: 0..<1, using: &random) < 0.07
                ? dxDays + Int.random(in: 30...Swift.max(31, cutoffDays - dxDays), using: &random)  // lost to follow-up
                : cutoffDays - Int.random(in: 0...180, using: &random)
            let dead = deathDays <= Swift.min(lastFollowUp, cutoffDays)
            let lastContactDays = dead ? deathDays : Swift.max(lastFollowUp, tumorDiagnoses.last!.1)
            setP("vitalStatus", dead ? "0" : "1")
            setP("dateOfLastContact", date(lastContactDays))
            setP("causeOfDeath", dead ? cause : "0000")
            // A later primary diagnosed after death never happened.
            let kept = tumorDiagnoses.indices.filter { tumorDiagnoses[$0].1 <= lastContactDays }
            tumorDiagnoses = kept.map { tumorDiagnoses[$0] }
            stageByTumor = kept.map { stageByTumor[$0] }

            for (index, (p, days, _)) in tumorDiagnoses.enumerated() {
                var tumor = NaaccrTumor(dictionary: generator.dictionary)
                func setT(_ id: String, _ value: String) { tumor[keys.tumor[id]!] = value }
                let stage = stageByTumor[index]
                var site = random.weighted(p.sites)
                // Unspecific sites (colon NOS, mouth NOS) have no localized extension (SEER IF40): localized tumors and
                // those with nodes only get a specific site.
                if ["1", "3"].contains(stage), site == "C189" || site == "C069" { site = site == "C189" ? "C187" : "C062" }
                setT("tumorRecordNumber", two(index + 1))
                setT("sequenceNumberCentral", tumorDiagnoses.count == 1 ? "00" : two(index + 1))
                setT("sequenceNumberHospital", tumorDiagnoses.count == 1 ? "00" : two(index + 1))
                setT("primarySite", site)
                // Laterality unknown (9) only where the stage does not depend on it (SEER IF41).
                setT("laterality", !ICDO3.isPairedSite(site) ? "0"
                     : ["7", "9"].contains(stage) ? random.weighted([("1", 45), ("2", 45), ("9", 10)]) : random.weighted([("1", 1), ("2", 1)]))
                // A code ICD-O-3 introduced later than the diagnosis year (SEER's [2021+]) becomes the profile's first code of that year.
                var histology = random.weighted(p.histologies)
                let dxYear = CalendarDate(daysSinceEpoch: days).year
                if let years = ICDO3.yearsOfUse("\(histology)/3"), (years.first.map { dxYear < $0 } ?? false) || (years.last.map { dxYear > $0 } ?? false) {
                    histology = p.histologies.map(\.0).first { code in
                        guard let y = ICDO3.yearsOfUse("\(code)/3") else { return true }
                        return (y.first.map { dxYear >= $0 } ?? true) && (y.last.map { dxYear <= $0 } ?? true)
                    } ?? histology
                }
                // About one tumor in 80 is a benign or borderline brain/CNS tumor, reportable since 2004 (Public Law
                // 107-260): a meningioma of the cerebral meninges (9530/0) or a pituitary adenoma (8272/0).
                var behavior = "3"
                if Double.random(in: 0..<1, using: &random) < 0.0125 {
                    (site, histology, behavior) = Double.random(in: 0..<1, using: &random) < 0.7 ? ("C700", "9530", "0") : ("C751", "8272", "0")
                    setT("primarySite", site)
                    setT("laterality", "0")
                }
                setT("histologicTypeIcdO3", histology)
                setT("behaviorCodeIcdO3", behavior)
                setT("gradeClinical", random.weighted([("1", 20), ("2", 35), ("3", 25), ("9", 20)]))
                setT("dateOfDiagnosis", date(days))
                let firstContact = days + Int.random(in: 0...30, using: &random)
                setT("dateOf1stContact", date(firstContact))
                setT("ageAtDiagnosis", String(format: "%03d", completedYears(from: birthDays, to: days)))
                // Analytic cases (00, 10-14, 20-22) and, as in a hospital's real mix, some non-analytic ones: diagnosed and
                // treated elsewhere with a visit here for recurrence or persistence (32, 33), diagnosis and treatment
                // elsewhere and here only for later care (30, 31, 34-37), a staff physician's office case (41).
                setT("classOfCase", random.weighted([("10", 19), ("14", 51), ("20", 8), ("22", 9), ("00", 6), ("30", 1), ("31", 1),
                                                     ("32", 2), ("33", 1), ("34", 1), ("35", 1), ("37", 1), ("41", 1)]))
                // Death certificate only (7) and autopsy only (6): single primaries of patients who died.
                var source = random.weighted([("1", 92), ("3", 3), ("4", 2), ("6", 2), ("7", 1)])
                if ["6", "7"].contains(source), !dead || tumorDiagnoses.count > 1 { source = "1" }
                setT("typeOfReportingSource", source)
                setT("summaryStage2018", behavior == "3" ? stage : "8")  // 8: benign or borderline (brain and CNS schemas)
                setT("countyAtDx", Self.counties.randomElement(using: &random)!)
                setT("addrAtDxState", "KS")
                setT("reportingFacility", random.weighted([("0000001001", 5), ("0000001002", 3), ("0000001003", 2)]))
                // The accession number starts with the year the patient first came to the facility (CoC).
                setT("accessionNumberHosp", String(format: "%04d%05d", CalendarDate(daysSinceEpoch: index == 0 ? firstContact : days).year,
                                                   number % 100_000))
                setT("primaryPayerAtDx", random.weighted([("10", 10), ("20", 35), ("31", 10), ("60", 30), ("61", 10), ("99", 5)]))
                let surgery = stage != "7" && !["6", "7"].contains(source) && Double.random(in: 0..<1, using: &random) < 0.75
                // Surgery yields histology; a death certificate confirms nothing; several primaries are microscopically confirmed.
                setT("diagnosticConfirmation", source == "7" ? "9" : surgery ? "1"
                     : tumorDiagnoses.count > 1 ? random.weighted([("1", 90), ("2", 6), ("4", 4)])
                     : random.weighted([("1", 90), ("2", 3), ("5", 2), ("7", 2), ("9", 3)]))
                // Breast surgery is mostly breast-conserving (20-24, B2xx), as in a hospital's mix; other sites resect (30-50).
                let surgeryKind = !surgery ? "0" : p.name == "Breast" ? random.weighted([("2", 55), ("4", 25), ("5", 20)])
                    : random.weighted([("3", 3), ("4", 3), ("5", 2)])
                // Codes of the site group in SEER's site-specific surgery tables of the diagnosis year: none is the group's
                // first code; a surgery the first code of the chosen kind (30/40/50, A3xx/A4xx/A5xx), else its first real one.
                func surgeryCode(year: Int) -> String {
                    let codes = SurgeryCodes.group(site: site, histology: nil, year: year)?.codes.entries.map(\.code) ?? []
                    let none = codes.first ?? (year >= 2023 ? "A000" : "00")
                    guard surgeryKind != "0" else { return none }
                    let digits = codes.filter { $0 != none && !$0.hasSuffix("99") && !$0.hasSuffix("990") && !$0.hasSuffix("98") }
                    return digits.first { $0.dropFirst(year >= 2023 ? 1 : 0).hasPrefix(surgeryKind) } ?? digits.first ?? none
                }
                setT("rxSummSurgPrimSite", surgeryCode(year: Swift.min(dxYear, 2022)))
                // From 2023 surgery is coded in item 1291.
                if dxYear >= 2023 { setT("rxSummSurgPrimSite2023", surgeryCode(year: dxYear)) }
                // Treatment follows the guidelines the CoC measures check, most of the time: radiation after breast-conserving
                // surgery, hormone therapy for receptor-positive and combination chemotherapy for receptor-negative breast
                // cancer, chemotherapy after resection of node-positive colon cancer.
                let receptorPositive = p.name == "Breast" && Double.random(in: 0..<1, using: &random) < 0.8
                if p.name == "Breast" {
                    setT("estrogenReceptorSummary", receptorPositive ? "1" : "0")
                    setT("progesteroneRecepSummary", receptorPositive && Double.random(in: 0..<1, using: &random) < 0.8 ? "1" : "0")
                }
                let nodePositive = ["3", "4"].contains(stage)
                setT("rxSummRadiation", Double.random(in: 0..<1, using: &random) < (surgeryKind == "2" ? 0.93 : 0.35) ? "1" : "0")
                let chemo: String
                if p.name == "Breast" && !receptorPositive && stage != "0" {
                    chemo = random.weighted([("03", 88), ("00", 12)])
                } else if p.name == "Colon and rectum" && nodePositive && surgery {
                    chemo = random.weighted([("03", 60), ("02", 31), ("00", 9)])
                } else {
                    chemo = stage == "1" ? "00" : random.weighted([("00", 40), ("01", 10), ("02", 25), ("03", 25)])
                }
                setT("rxSummChemo", chemo)
                setT("rxSummHormone", p.name == "Breast" ? (receptorPositive ? random.weighted([("01", 93), ("00", 7)]) : "00")
                     : p.name == "Prostate" ? random.weighted([("00", 40), ("01", 60)]) : "00")
                if surgery { setT("rxDateSurgery", date(Swift.min(days + Int.random(in: 7...60, using: &random), lastContactDays))) }
                addTumorDetails(&tumor, patient: patient, profileName: p.name, number: number)
                patient.tumors.append(tumor)
            }
            addPatientDetails(&patient)
            return patient
        }

        mutating func gaussian() -> Double {
            let u1 = Double.random(in: Double.ulpOfOne..<1, using: &random), u2 = Double.random(in: 0..<1, using: &random)
            return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
        }

        mutating func exponential(rate: Double) -> Double {
            -log(Double.random(in: Double.ulpOfOne..<1, using: &random)) / rate
        }
    }
}
