import CivilCalendar
import Foundation

/// What a CoC quality measure needs of one tumor, read from its abstract.
public struct MeasureCase: Sendable, Equatable {
    public var tumorId: Int
    public var age: Int?
    /// Sex Assigned at Birth (225).
    public var sex: String
    public var primarySite: String
    public var histology: Int?
    public var behavior: String
    /// Sequence Number--Hospital (560).
    public var sequenceNumber: String
    public var classOfCase: String
    public var dateOfDiagnosis: CalendarDate?
    /// AJCC stage group (pathologic 1014, else clinical 1004), T (1011, else 1001), N (1012/1002), M (1013/1003).
    public var stageGroup: String
    public var t: String
    public var n: String
    public var m: String
    /// Estrogen and progesterone receptor summaries (3827, 3915): 0 negative, 1 positive.
    public var estrogenReceptor: String
    public var progesteroneReceptor: String
    /// Surgery of Primary Site, as the two-digit code of item 1290 (items 1291 of 2023 and later: the letter dropped,
    /// the first two digits kept, B200 → 20).
    public var surgery: Int?
    public var radiationStarted: CalendarDate?
    /// RX Summ--Chemo (1390), RX Date Chemo (1220); RX Summ--Hormone (1400), RX Date Hormone (1230).
    public var chemotherapy: String
    public var chemotherapyStarted: CalendarDate?
    public var hormoneTherapy: String
    public var hormoneTherapyStarted: CalendarDate?
    /// RX Summ--Dx/Stg Proc (1350).
    public var diagnosticProcedure: String
    /// Regional Nodes Examined (830).
    public var nodesExamined: Int?

    /// The items the measures read (by `naaccrId`), so the store hands over only these.
    public static let itemsRead = [
        "ageAtDiagnosis", "primarySite", "histologicTypeIcdO3", "behaviorCodeIcdO3", "sequenceNumberHospital", "classOfCase",
        "dateOfDiagnosis", "ajccTnmPathStageGroup", "ajccTnmClinStageGroup", "ajccTnmPathT", "ajccTnmClinT", "ajccTnmPathN",
        "ajccTnmClinN", "ajccTnmPathM", "ajccTnmClinM", "estrogenReceptorSummary", "progesteroneRecepSummary",
        "rxSummSurgPrimSite2023", "rxSummSurgPrimSite", "rxDateRadiation", "rxSummChemo", "rxDateChemo", "rxSummHormone",
        "rxDateHormone", "rxSummDxStgProc", "regionalNodesExamined",
    ]

    public init(tumorId: Int, items: [String: String], sex: String) {
        self.tumorId = tumorId
        age = items["ageAtDiagnosis"].flatMap { Int($0) }.flatMap { $0 <= 120 ? $0 : nil }
        self.sex = sex
        primarySite = items["primarySite"] ?? ""
        histology = items["histologicTypeIcdO3"].flatMap { Int($0) }
        behavior = items["behaviorCodeIcdO3"] ?? ""
        sequenceNumber = items["sequenceNumberHospital"] ?? ""
        classOfCase = items["classOfCase"] ?? ""
        dateOfDiagnosis = Self.date(items["dateOfDiagnosis"])
        func known(_ a: String, _ b: String) -> String {
            let first = items[a] ?? ""
            return first.isEmpty || first == "88" || first == "99" ? items[b] ?? "" : first
        }
        stageGroup = known("ajccTnmPathStageGroup", "ajccTnmClinStageGroup")
        t = known("ajccTnmPathT", "ajccTnmClinT")
        n = known("ajccTnmPathN", "ajccTnmClinN")
        m = known("ajccTnmPathM", "ajccTnmClinM")
        estrogenReceptor = items["estrogenReceptorSummary"] ?? ""
        progesteroneReceptor = items["progesteroneRecepSummary"] ?? ""
        if let code = items["rxSummSurgPrimSite2023"], code.count == 4, let digits = Int(code.dropFirst().prefix(2)) {
            surgery = digits
        } else {
            surgery = items["rxSummSurgPrimSite"].flatMap { Int($0) }
        }
        radiationStarted = Self.date(items["rxDateRadiation"])
        chemotherapy = items["rxSummChemo"] ?? ""
        chemotherapyStarted = Self.date(items["rxDateChemo"])
        hormoneTherapy = items["rxSummHormone"] ?? ""
        hormoneTherapyStarted = Self.date(items["rxDateHormone"])
        diagnosticProcedure = items["rxSummDxStgProc"] ?? ""
        nodesExamined = items["regionalNodesExamined"].flatMap { Int($0) }
    }

    /// A full CCYYMMDD date; nil when any part is unknown (a window cannot be judged on a partial date).
    static func date(_ text: String?) -> CalendarDate? {
        guard let text, text.count == 8 else { return nil }
        return CalendarDate(text)
    }

    /// Days from diagnosis to `date`, nil when either is unknown.
    func days(to date: CalendarDate?) -> Int? {
        guard let date, let dx = dateOfDiagnosis else { return nil }
        return date.daysSinceEpoch - dx.daysSinceEpoch
    }

    var isBreast: Bool { primarySite >= "C500" && primarySite <= "C509" }
    /// Colon without the appendix (C180, C182-C189).
    var isColon: Bool { primarySite == "C180" || (primarySite >= "C182" && primarySite <= "C189") }
    var isEpithelial: Bool { histology.map { (8000...8576).contains($0) } ?? false }
    var isFirstOrOnly: Bool { sequenceNumber == "00" || sequenceNumber == "01" }
    /// Diagnosed and/or all or part of the first course of treatment at the facility (class of case 10-22).
    var isTreatedHere: Bool { ["10", "11", "12", "13", "14", "20", "21", "22"].contains(classOfCase) }
    var isInvasive: Bool { behavior == "3" }
    var stageOneToThree: Bool { ["1", "2", "3"].contains(stageGroup.prefix(1)) }
    /// AJCC T1cN0M0, or stage IB to III.
    var t1cN0M0OrIBToIII: Bool {
        (t.hasPrefix("T1c") && n.hasPrefix("N0") && m.hasPrefix("M0")) || stageGroup.hasPrefix("1B") || ["2", "3"].contains(stageGroup.prefix(1))
    }
    /// Treatment recommended but not given (82 contraindicated, 85-87 died, refused, recommended): "considered".
    static let considered: Set<String> = ["82", "85", "86", "87"]
}

/// A CoC quality of care measure: who is in its denominator, who meets it, and the rate the program is expected to
/// reach (Standards 4.4/4.5: met when the rate, or the upper limit of its 95% confidence interval, reaches it).
public struct QualityMeasure: Sendable {
    public let id: String
    public let kind: String
    public let expectedRate: Double
    /// The CoC's description of the measure.
    public let description: String
    /// The cohort and the numerator as this registry computes them, in the abstract's items.
    public let definition: String
    let inDenominator: @Sendable (MeasureCase) -> Bool
    let meets: @Sendable (MeasureCase) -> Bool

    /// The measures of the CoC's breast and colon sets the dashboard computes.
    public static let all: [QualityMeasure] = [
        QualityMeasure(
            id: "BCSRT", kind: "Accountability", expectedRate: 0.90,
            description: "Radiation therapy is administered within 1 year (365 days) of diagnosis for women under age 70 receiving breast conserving surgery for breast cancer.",
            definition: "Women (225 = 2) aged 18-69, first or only primary (560 = 00/01), class of case 10-22, breast C500-C509, invasive epithelial (8000-8576/3), AJCC stage I-III (1014, else 1004), breast conserving surgery (1290 = 20-24, 1291 = B200-B290); met when radiation started (1210) 0-365 days after diagnosis.",
            inDenominator: { c in c.sex == "2" && (18...69).contains(c.age ?? -1) && c.isFirstOrOnly && c.isTreatedHere && c.isBreast && c.isInvasive
                && c.isEpithelial && c.stageOneToThree && (20...29).contains(c.surgery ?? -1) },
            meets: { c in (0...365).contains(c.days(to: c.radiationStarted) ?? -1) }),
        QualityMeasure(
            id: "HT", kind: "Accountability", expectedRate: 0.90,
            description: "Tamoxifen or third generation aromatase inhibitor is considered or administered within 1 year (365 days) of diagnosis for women with AJCC T1cN0M0, or stage IB-III hormone receptor positive breast cancer.",
            definition: "Women aged 18 or more, first or only primary, class of case 10-22, breast, invasive epithelial, AJCC T1cN0M0 or stage IB-III, estrogen or progesterone receptor positive (3827 or 3915 = 1); met when hormone therapy (1400 = 01) started (1230) 0-365 days after diagnosis, or was considered (1400 = 82, 85, 86, 87).",
            inDenominator: { c in c.sex == "2" && (c.age ?? -1) >= 18 && c.isFirstOrOnly && c.isTreatedHere && c.isBreast && c.isInvasive && c.isEpithelial
                && c.t1cN0M0OrIBToIII && (c.estrogenReceptor == "1" || c.progesteroneReceptor == "1") },
            meets: { c in (c.hormoneTherapy == "01" && (0...365).contains(c.days(to: c.hormoneTherapyStarted) ?? -1)) || MeasureCase.considered.contains(c.hormoneTherapy) }),
        QualityMeasure(
            id: "MAC", kind: "Accountability", expectedRate: 0.90,
            description: "Combination chemotherapy is considered or administered within 4 months (120 days) of diagnosis for women under 70 with AJCC T1cN0M0, or stage IB-III hormone receptor negative breast cancer.",
            definition: "Women aged 18-69, first or only primary, class of case 10-22, breast, invasive epithelial, AJCC T1cN0M0 or stage IB-III, estrogen and progesterone receptors negative (3827 = 0 and 3915 = 0); met when multi-agent chemotherapy (1390 = 03) started (1220) 0-120 days after diagnosis, or was considered (1390 = 82, 85, 86, 87).",
            inDenominator: { c in c.sex == "2" && (18...69).contains(c.age ?? -1) && c.isFirstOrOnly && c.isTreatedHere && c.isBreast && c.isInvasive
                && c.isEpithelial && c.t1cN0M0OrIBToIII && c.estrogenReceptor == "0" && c.progesteroneReceptor == "0" },
            meets: { c in (c.chemotherapy == "03" && (0...120).contains(c.days(to: c.chemotherapyStarted) ?? -1)) || MeasureCase.considered.contains(c.chemotherapy) }),
        QualityMeasure(
            id: "nBx", kind: "Quality improvement", expectedRate: 0.80,
            description: "Image or palpation-guided needle biopsy (core or FNA) is performed to establish diagnosis of breast cancer.",
            definition: "Aged 18 or more, first or only primary, class of case 10-22, breast, in situ or invasive epithelial (8000-8576/2-3); met when the diagnosis was established by a biopsy of the primary site before surgery (RX Summ--Dx/Stg Proc 1350 = 02).",
            inDenominator: { c in (c.age ?? -1) >= 18 && c.isFirstOrOnly && c.isTreatedHere && c.isBreast && (c.behavior == "2" || c.behavior == "3") && c.isEpithelial },
            meets: { c in c.diagnosticProcedure == "02" }),
        QualityMeasure(
            id: "ACT", kind: "Accountability", expectedRate: 0.90,
            description: "Adjuvant chemotherapy is considered or administered within 4 months (120 days) of diagnosis for patients under the age of 80 with AJCC Stage III (lymph node positive) colon cancer.",
            definition: "Aged 18-79, first or only primary, class of case 10-22, colon C180, C182-C189, invasive epithelial, AJCC stage III, surgical resection (1290 = 30-80, 1291 = B300-B800); met when chemotherapy (1390 = 01, 02, 03) started (1220) 0-120 days after diagnosis, or was considered (82, 85, 86, 87).",
            inDenominator: { c in (18...79).contains(c.age ?? -1) && c.isFirstOrOnly && c.isTreatedHere && c.isColon && c.isInvasive && c.isEpithelial
                && c.stageGroup.hasPrefix("3") && (30...80).contains(c.surgery ?? -1) && c.surgery != 33 },
            meets: { c in (["01", "02", "03"].contains(c.chemotherapy) && (0...120).contains(c.days(to: c.chemotherapyStarted) ?? -1))
                || MeasureCase.considered.contains(c.chemotherapy) }),
        QualityMeasure(
            id: "12RLN", kind: "Quality improvement", expectedRate: 0.85,
            description: "At least 12 regional lymph nodes are removed and pathologically examined for resected colon cancer.",
            definition: "Aged 18 or more, first or only primary, class of case 10-22, colon C180, C182-C189, invasive epithelial, surgical resection (1290 = 30-80, 1291 = B300-B800); met when Regional Nodes Examined (830) is 12-90.",
            inDenominator: { c in (c.age ?? -1) >= 18 && c.isFirstOrOnly && c.isTreatedHere && c.isColon && c.isInvasive && c.isEpithelial
                && (30...80).contains(c.surgery ?? -1) && c.surgery != 33 },
            meets: { c in (12...90).contains(c.nodesExamined ?? -1) }),
    ]
}

/// A proportion with its 95% Wilson score interval.
public struct Proportion: Sendable, Codable, Equatable {
    public var numerator: Int
    public var denominator: Int
    public var rate: Double? { denominator == 0 ? nil : Double(numerator) / Double(denominator) }
    /// Wilson (1927) score interval: (p + z²/2n ± z √(p(1−p)/n + z²/4n²)) / (1 + z²/n), z = 1.959964.
    public var interval: (lower: Double, upper: Double)? {
        guard denominator > 0 else { return nil }
        let n = Double(denominator), p = Double(numerator) / n, z = 1.959963984540054
        let center = (p + z * z / (2 * n)) / (1 + z * z / n)
        let half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
        return (max(0, center - half), min(1, center + half))
    }
    public init(numerator: Int, denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }
}
