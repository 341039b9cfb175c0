import Edits
import NAACCR

/// A consistent, valid abstract (every edit passes or skips) that the cases change one item at a time.
enum EditFixture {
    static let patientItems: [String: String] = [
        "patientIdNumber": "00000001", "sexAssignedAtBirth": "2", "race1": "01", "race2": "88", "spanishHispanicOrigin": "0",
        "dateOfBirth": "19600510", "dateOfLastContact": "20230101", "vitalStatus": "1", "causeOfDeath": "0000",
        "icdRevisionNumber": "0", "birthplaceState": "KS", "addrCurrentState": "KS", "nameFirst": "Mary",
    ]
    static let tumorItems: [String: String] = [
        "primarySite": "C504", "histologicTypeIcdO3": "8500", "behaviorCodeIcdO3": "3", "laterality": "1", "gradeClinical": "2",
        "gradePathological": "2", "diagnosticConfirmation": "1", "typeOfReportingSource": "1", "dateOfDiagnosis": "20200315",
        "ageAtDiagnosis": "059", "sequenceNumberCentral": "00", "sequenceNumberHospital": "00", "classOfCase": "14",
        "dateOf1stContact": "20200320", "summaryStage2018": "1", "derivedSummaryStage2018": "1", "addrAtDxState": "KS",
        "countyAtDx": "173", "primaryPayerAtDx": "20", "accessionNumberHosp": "202000001", "rxSummSurgPrimSite": "30",
        "rxSummScopeRegLnSur": "2", "rxSummSurgOthRegDis": "0", "rxSummRadiation": "0", "rxSummChemo": "00",
        "rxSummHormone": "01", "rxSummBrm": "00", "rxSummOther": "0", "rxSummTransplntEndocr": "00", "reasonForNoSurgery": "0",
        "reasonForNoRadiation": "1", "rxSummSurgRadSeq": "0", "rxSummSystemicSurSeq": "3", "rxSummTreatmentStatus": "1",
        "rxSummSurgicalMargins": "0", "phase1RadiationTreatmentModality": "00", "rxDateSurgery": "20200401",
        "rxDateHormone": "20200501", "rxDateSystemic": "20200501", "rxDateMostDefinSurg": "20200401",
        "dateInitialRxSeer": "20200401", "dateOfLastCancerStatus": "20230101", "regionalNodesPositive": "00",
        "regionalNodesExamined": "05", "lymphVascularInvasion": "0", "tumorSizeSummary": "015", "tumorSizeClinical": "015",
        "tumorSizePathologic": "015", "metsAtDxBone": "0", "metsAtDxBrain": "0", "metsAtDxLiver": "0", "metsAtDxLung": "0",
        "metsAtDxDistantLn": "0", "metsAtDxOther": "0", "cancerStatus": "1", "followUpSource": "2", "ambiguousTerminologyDx": "0",
        "multiplicityCounter": "01", "multTumRptAsOnePrim": "00", "estrogenReceptorSummary": "1", "progesteroneRecepSummary": "1",
        "her2OverallSummary": "0", "eodPrimaryTumor": "100", "eodRegionalNodes": "000", "eodMets": "00",
        // Breast SSDIs (NAACCR SSDI Manual): not documented / not applicable codes.
        "lnPositiveAxillaryLevel1To2": "X9", "estrogenReceptorPercntPosOrRange": "XX9", "progesteroneRecepPrcntPosOrRange": "XX9",
        "ki67": "XXX.9", "oncotypeDxRecurrenceScoreInvasiv": "XX9", "oncotypeDxRecurrenceScoreDcis": "XX9",
        "multigeneSignatureMethod": "9", "multigeneSignatureResults": "X9", "responseToNeoadjuvantTherapy": "0",
        "oncotypeDxRiskLevelInvasive": "9", "oncotypeDxRiskLevelDcis": "9", "estrogenReceptorTotalAllredScore": "X9",
        "progesteroneRecepTotalAllredScor": "X9", "her2IhcSummary": "9", "her2IshSummary": "9", "her2IshDualProbeRatio": "XX.9",
        "her2IshDualProbeCopyNumber": "XX.9", "her2IshSingleProbeCopyNumber": "XX.9", "schemaId": "00480",
    ]

    /// The fixture with `changes` applied (nil removes an item); `second` adds a second tumor with its own changes.
    static func patient(_ changes: [String: String?] = [:], second: [String: String?]? = nil) -> NaaccrPatient {
        let d = NaaccrDictionary.v26
        var patient = NaaccrPatient(dictionary: d)
        for (id, value) in patientItems { patient[d.key(id)!] = value }
        var tumor = NaaccrTumor(dictionary: d)
        for (id, value) in tumorItems { tumor[d.key(id)!] = value }
        for (id, value) in changes {
            let key = d.key(id)!
            if key.level == .patient { patient[key] = value } else { tumor[key] = value }
        }
        patient.tumors = [tumor]
        if let second {
            var other = tumor
            for (id, value) in second { other[d.key(id)!] = value }
            patient.tumors.append(other)
        }
        return patient
    }
}

/// What an edit should conclude for a changed fixture.
enum Expected: String { case pass, skip, fail, overridden }

struct EditCase: CustomStringConvertible {
    let edit: String
    let changes: [String: String?]
    let second: [String: String?]?
    let expected: Expected
    /// The tumor the outcome is read on.
    let tumor: Int

    init(_ edit: String, _ expected: Expected, _ changes: [String: String?] = [:], second: [String: String?]? = nil, tumor: Int = 0) {
        self.edit = edit
        self.expected = expected
        self.changes = changes
        self.second = second
        self.tumor = tumor
    }

    var description: String { "\(edit) \(expected) \(changes)\(second.map { " second \($0)" } ?? "")" }
}

/// Cases for every inter-field, date and inter-record edit (single-field edits are covered generically).
let editCases: [EditCase] = [
    // Date validity (the generic single-field test covers pass/skip; these add real-date failures).
    EditCase("DT01", .fail, ["dateOfDiagnosis": "20230231"]), EditCase("DT01", .fail, ["dateOfDiagnosis": "21500101"]),
    EditCase("DT01", .pass, ["dateOfDiagnosis": "2020"]), EditCase("DT01", .pass, ["dateOfDiagnosis": "202003"]),
    EditCase("DT02", .fail, ["dateOfBirth": "18400101"]), EditCase("DT02", .pass, ["dateOfBirth": "18600101", "ageAtDiagnosis": nil]),
    // Date order.
    EditCase("DO01", .pass), EditCase("DO01", .fail, ["dateOfBirth": "20210101"]), EditCase("DO01", .skip, ["dateOfBirth": nil]),
    EditCase("DO01", .pass, ["dateOfBirth": "2020", "dateOfDiagnosis": "20200315"]),  // same year: cannot tell, passes
    EditCase("DO02", .pass), EditCase("DO02", .fail, ["dateOfLastContact": "20200101"]), EditCase("DO02", .skip, ["dateOfLastContact": "2023XX01"]),
    EditCase("DO03", .pass), EditCase("DO03", .fail, ["dateOfLastContact": "19500101"]), EditCase("DO03", .skip, ["dateOfLastContact": nil]),
    EditCase("DO04", .pass), EditCase("DO04", .fail, ["dateOf1stContact": "19590101"]), EditCase("DO04", .skip, ["dateOf1stContact": nil]),
    EditCase("DO05", .pass), EditCase("DO05", .fail, ["rxDateSurgery": "20200101"]), EditCase("DO05", .skip, ["rxDateSurgery": nil]),
    EditCase("DO06", .pass, ["rxDateRadiation": "20200601"]), EditCase("DO06", .fail, ["rxDateRadiation": "20191231"]), EditCase("DO06", .skip),
    EditCase("DO07", .pass, ["rxDateChemo": "20200601"]), EditCase("DO07", .fail, ["rxDateChemo": "201912"]), EditCase("DO07", .skip),
    EditCase("DO08", .pass), EditCase("DO08", .fail, ["rxDateHormone": "2019"]), EditCase("DO08", .skip, ["rxDateHormone": nil]),
    EditCase("DO09", .pass), EditCase("DO09", .fail, ["rxDateSurgery": "20240101"]), EditCase("DO09", .skip, ["rxDateSurgery": nil]),
    EditCase("DO10", .pass), EditCase("DO10", .fail, ["dateInitialRxSeer": "20200301"]), EditCase("DO10", .skip, ["dateInitialRxSeer": nil]),
    EditCase("DO11", .pass), EditCase("DO11", .fail, ["dateOfLastCancerStatus": "20230201"]), EditCase("DO11", .skip, ["dateOfLastCancerStatus": nil]),
    // Age at diagnosis.
    EditCase("AG01", .pass), EditCase("AG01", .fail, ["ageAtDiagnosis": "061"]), EditCase("AG01", .fail, ["ageAtDiagnosis": "060"]),
    EditCase("AG01", .pass, ["ageAtDiagnosis": "060", "dateOfDiagnosis": "20200510"]),  // birthday on the day
    EditCase("AG01", .pass, ["dateOfBirth": "1960", "ageAtDiagnosis": "060"]), EditCase("AG01", .pass, ["dateOfBirth": "1960"]),
    EditCase("AG01", .fail, ["ageAtDiagnosis": "999"]), EditCase("AG01", .pass, ["ageAtDiagnosis": "999", "dateOfBirth": nil]),
    EditCase("AG01", .skip, ["ageAtDiagnosis": nil]),
    // Vital status and cause of death.
    EditCase("VS01", .pass), EditCase("VS01", .fail, ["causeOfDeath": "C509"]), EditCase("VS01", .fail, ["vitalStatus": "0"]),
    EditCase("VS01", .pass, ["vitalStatus": "0", "causeOfDeath": "C509", "icdRevisionNumber": "1"]), EditCase("VS01", .skip, ["causeOfDeath": nil]),
    EditCase("VS02", .pass), EditCase("VS02", .fail, ["icdRevisionNumber": "1"]),
    EditCase("VS02", .fail, ["vitalStatus": "0", "causeOfDeath": "C509"]), EditCase("VS02", .skip, ["icdRevisionNumber": nil]),
    EditCase("VS03", .pass), EditCase("VS03", .fail, ["placeOfDeathState": "KS"]),
    EditCase("VS03", .skip, ["vitalStatus": "0", "causeOfDeath": "C509", "icdRevisionNumber": "1", "placeOfDeathState": "KS"]),
    // Site and histology.
    EditCase("IF25", .pass), EditCase("IF25", .fail, ["histologicTypeIcdO3": "8170"]),  // hepatocellular carcinoma of the breast
    EditCase("IF25", .overridden, ["histologicTypeIcdO3": "8170", "overRideSiteType": "1"]),
    EditCase("IF25", .skip, ["histologicTypeIcdO3": nil]), EditCase("IF25", .pass, ["primarySite": "C619", "histologicTypeIcdO3": "8140", "laterality": "0"]),
    EditCase("COC-ST", .pass), EditCase("COC-ST", .fail, ["histologicTypeIcdO3": "8312"]),
    EditCase("COC-ST", .overridden, ["histologicTypeIcdO3": "8312", "overRideCocSiteType": "1"]),
    EditCase("COC-ST", .pass, ["primarySite": "C445", "histologicTypeIcdO3": "8000", "laterality": "1"]), EditCase("COC-ST", .skip, ["primarySite": "C999"]),
    EditCase("MORPH", .pass), EditCase("MORPH", .fail, ["behaviorCodeIcdO3": "2", "histologicTypeIcdO3": "8800", "primarySite": "C499", "laterality": "0"]),
    EditCase("MORPH", .fail, ["histologicTypeIcdO3": "8212", "behaviorCodeIcdO3": "3", "primarySite": "C189", "laterality": "0"]),  // /0 only
    EditCase("MORPH", .overridden, ["histologicTypeIcdO3": "8212", "behaviorCodeIcdO3": "3", "primarySite": "C189", "laterality": "0", "overRideHistology": "1"]),
    EditCase("MORPH", .skip, ["behaviorCodeIcdO3": "7"]),
    EditCase("IF31", .pass, ["behaviorCodeIcdO3": "2"]), EditCase("IF31", .fail, ["behaviorCodeIcdO3": "2", "diagnosticConfirmation": "7"]),
    EditCase("IF31", .overridden, ["behaviorCodeIcdO3": "2", "diagnosticConfirmation": "7", "overRideHistology": "2"]),
    EditCase("IF31", .skip),
    EditCase("IF39", .pass, ["behaviorCodeIcdO3": "2"]), EditCase("IF39", .fail, ["behaviorCodeIcdO3": "2", "primarySite": "C809", "laterality": "0"]),
    EditCase("IF39", .overridden, ["behaviorCodeIcdO3": "2", "primarySite": "C809", "laterality": "0", "overRideSiteBehavior": "1"]),
    EditCase("IF39", .skip),
    EditCase("IF42", .pass, ["behaviorCodeIcdO3": "2"]), EditCase("IF42", .fail, ["behaviorCodeIcdO3": "2", "laterality": "4"]),
    EditCase("IF42", .overridden, ["behaviorCodeIcdO3": "2", "laterality": "9", "overRideSiteLatMorph": "1"]),
    EditCase("IF42", .skip, ["behaviorCodeIcdO3": "3"]),
    EditCase("IF24", .pass), EditCase("IF24", .fail, ["laterality": "0"]), EditCase("IF24", .fail, ["primarySite": "C619", "histologicTypeIcdO3": "8140", "laterality": "1"]),
    EditCase("IF24", .fail, ["laterality": "5", "dateOfDiagnosis": "2008", "ageAtDiagnosis": "048"]),
    EditCase("IF24", .pass, ["primarySite": "C710", "histologicTypeIcdO3": "9440", "laterality": "2"]), EditCase("IF24", .skip, ["laterality": "7"]),
    EditCase("IF48", .pass, ["histologicTypeIcdO3": "9680", "primarySite": "C779", "laterality": "0"]),
    EditCase("IF48", .fail, ["histologicTypeIcdO3": "9680", "primarySite": "C779", "laterality": "0", "diagnosticConfirmation": "8"]),
    EditCase("IF48", .overridden, ["histologicTypeIcdO3": "9680", "primarySite": "C779", "laterality": "0", "diagnosticConfirmation": "6", "overRideLeukLymphoma": "1"]),
    EditCase("IF48", .fail, ["histologicTypeIcdO3": "9861", "primarySite": "C421", "laterality": "0", "diagnosticConfirmation": "6"]),
    EditCase("IF48", .skip, ["histologicTypeIcdO3": nil]),
    // Multiple primaries.
    EditCase("IF22", .pass, ["sequenceNumberCentral": "01"]),
    EditCase("IF22", .fail, ["sequenceNumberCentral": "01", "primarySite": "C809", "histologicTypeIcdO3": "8140", "laterality": "0"]),
    EditCase("IF22", .overridden, ["sequenceNumberCentral": "02", "primarySite": "C809", "histologicTypeIcdO3": "8140", "laterality": "0", "overRideIllDefineSite": "1"]),
    EditCase("IF22", .fail, ["sequenceNumberCentral": "01", "histologicTypeIcdO3": "9740", "primarySite": "C421", "laterality": "0"]),
    EditCase("IF22", .skip),
    // Lymphoid neoplasms that arise in lymph nodes (CLL/SLL 9823, B-lymphoblastic 9811) and newer hematopoietic codes (9993).
    EditCase("IF22", .pass, ["sequenceNumberCentral": "01", "primarySite": "C770", "histologicTypeIcdO3": "9823", "laterality": "0"]),
    EditCase("IF22", .pass, ["sequenceNumberCentral": "01", "primarySite": "C421", "histologicTypeIcdO3": "9993", "laterality": "0"]),
    EditCase("COC-SQS", .pass, ["sequenceNumberHospital": "01", "primarySite": "C772", "histologicTypeIcdO3": "9811", "laterality": "0"]),
    EditCase("COC-SQS", .pass, ["sequenceNumberHospital": "01"]),
    EditCase("COC-SQS", .fail, ["sequenceNumberHospital": "01", "primarySite": "C770", "histologicTypeIcdO3": "8140", "laterality": "0"]),
    EditCase("COC-SQS", .overridden, ["sequenceNumberHospital": "01", "primarySite": "C770", "histologicTypeIcdO3": "8140", "laterality": "0", "overRideHospseqSite": "1"]),
    EditCase("COC-SQS", .skip),
    EditCase("IF23", .pass, ["sequenceNumberCentral": "01"]), EditCase("IF23", .fail, ["sequenceNumberCentral": "01", "diagnosticConfirmation": "7", "rxSummSurgPrimSite": "00", "reasonForNoSurgery": "1", "rxDateSurgery": nil]),
    EditCase("IF23", .overridden, ["sequenceNumberCentral": "01", "diagnosticConfirmation": "8", "overRideSeqnoDxconf": "1"]),
    EditCase("IF23", .skip, ["sequenceNumberCentral": "60"]),
    EditCase("COC-DXS", .pass, ["sequenceNumberHospital": "01"]), EditCase("COC-DXS", .fail, ["sequenceNumberHospital": "01", "diagnosticConfirmation": "9"]),
    EditCase("COC-DXS", .overridden, ["sequenceNumberHospital": "01", "diagnosticConfirmation": "9", "overRideHospseqDxconf": "1"]),
    EditCase("COC-DXS", .skip, ["sequenceNumberHospital": "01", "diagnosticConfirmation": "9", "primarySite": "C809"]),
    EditCase("IF04", .pass, ["typeOfReportingSource": "7"]), EditCase("IF04", .fail, ["typeOfReportingSource": "7", "sequenceNumberCentral": "01"]),
    EditCase("IF04", .overridden, ["typeOfReportingSource": "7", "sequenceNumberCentral": "02", "overRideReportSource": "1"]),
    EditCase("IF04", .skip),
    EditCase("IF76", .pass), EditCase("IF76", .fail, ["diagnosticConfirmation": "5"]),
    EditCase("IF76", .overridden, ["diagnosticConfirmation": "5", "overRideSurgDxconf": "1"]), EditCase("IF76", .skip, ["rxSummSurgPrimSite": "00"]),
    EditCase("IF17", .pass), EditCase("IF17", .fail, ["primarySite": "C569", "histologicTypeIcdO3": "8441", "sexAssignedAtBirth": "1"]),
    EditCase("IF17", .fail, ["primarySite": "C619", "histologicTypeIcdO3": "8140", "laterality": "0"]),
    EditCase("IF17", .pass, ["primarySite": "C619", "histologicTypeIcdO3": "8140", "laterality": "0", "sexAssignedAtBirth": "9"]),
    EditCase("IF17", .skip, ["sexAssignedAtBirth": nil]),
    EditCase("IF15", .pass), EditCase("IF15", .fail, ["primarySite": "C692", "histologicTypeIcdO3": "9510", "laterality": "1"]),
    EditCase("IF15", .overridden, ["primarySite": "C692", "histologicTypeIcdO3": "9510", "laterality": "1", "overRideAgeSiteMorph": "1"]),
    EditCase("IF15", .fail, ["ageAtDiagnosis": "012", "dateOfBirth": "20080101"]), EditCase("IF15", .skip, ["ageAtDiagnosis": "999"]),
    EditCase("IF25B", .pass), EditCase("IF25B", .fail, ["histologicTypeIcdO3": "8170"]),
    EditCase("IF25B", .overridden, ["histologicTypeIcdO3": "8170", "overRideSiteType": "1"]), EditCase("IF25B", .skip, ["behaviorCodeIcdO3": "0"]),
    EditCase("IF25B", .pass, ["primarySite": "C251", "histologicTypeIcdO3": "8500", "laterality": "0"]),  // pancreatic duct carcinoma
    EditCase("IF15A", .pass), EditCase("IF15A", .fail, ["primarySite": "C692", "histologicTypeIcdO3": "9510"]),
    EditCase("IF15A", .overridden, ["primarySite": "C692", "histologicTypeIcdO3": "9510", "overRideAgeSiteMorph": "3"]),
    EditCase("IF15A", .skip, ["ageAtDiagnosis": "010"]),
    EditCase("IF15P", .pass, ["ageAtDiagnosis": "002", "primarySite": "C692", "histologicTypeIcdO3": "9510"]),
    EditCase("IF15P", .fail, ["ageAtDiagnosis": "012"]), EditCase("IF15P", .overridden, ["ageAtDiagnosis": "012", "overRideAgeSiteMorph": "1"]),
    EditCase("IF15P", .skip),
    // IF40/IF41 read the extension alone (2018+: EOD Primary Tumor as the tumor's schema maps it to its SS2018 T
    // category): 100 is localized (L) in the Colon and Rectum, Bone and Breast schemas, 400 regional by direct extension
    // (RE) in Colon and Rectum, 200 RE in Breast, 800 unknown (U); nodes and metastases are not read.
    EditCase("IF40", .skip), EditCase("IF40", .fail, ["primarySite": "C189", "histologicTypeIcdO3": "8140", "laterality": "0"]),
    EditCase("IF40", .pass, ["primarySite": "C189", "histologicTypeIcdO3": "8210", "laterality": "0"]),
    EditCase("IF40", .pass, ["primarySite": "C189", "histologicTypeIcdO3": "8140", "laterality": "0", "eodPrimaryTumor": "400"]),
    // Distant metastases do not make a localized extension specific: it still fails (the edit reads the extension).
    EditCase("IF40", .fail, ["primarySite": "C189", "histologicTypeIcdO3": "8140", "laterality": "0", "eodMets": "70"]),
    // The edit reads EOD, not the abstracted Summary Stage 2018 (distant here, localized by EOD): it fails.
    EditCase("IF40", .fail, ["primarySite": "C189", "histologicTypeIcdO3": "8140", "laterality": "0", "summaryStage2018": "7"]),
    EditCase("IF40", .overridden, ["primarySite": "C419", "histologicTypeIcdO3": "9180", "laterality": "0", "overRideSiteEodDxDt": "1"]),
    EditCase("IF40", .skip, ["primarySite": "C189", "histologicTypeIcdO3": "8140", "laterality": "0", "eodPrimaryTumor": nil]),
    EditCase("IF40", .skip, ["primarySite": "C189", "histologicTypeIcdO3": "8140", "laterality": "0", "dateOfDiagnosis": "20150315"]),
    EditCase("IF40", .skip, ["primarySite": "C180", "histologicTypeIcdO3": "8140", "laterality": "0"]),  // cecum is specific
    EditCase("IF41", .pass, ["laterality": "9", "eodPrimaryTumor": "800"]),
    EditCase("IF41", .fail, ["laterality": "4"]), EditCase("IF41", .fail, ["laterality": "9", "summaryStage2018": "7"]),
    EditCase("IF41", .fail, ["laterality": "4", "eodPrimaryTumor": "200"]),  // regional by direct extension
    EditCase("IF41", .fail, ["laterality": "9", "eodMets": "70"]),  // the extension is read, not the metastases
    EditCase("IF41", .overridden, ["laterality": "9", "overRideSiteLatEod": "1"]), EditCase("IF41", .skip),
    EditCase("IF41", .skip, ["laterality": "9", "dateOfDiagnosis": "20170315"]),
    // County of the state in the year (Census Bureau FIPS codes and county changes).
    EditCase("GEO90", .pass), EditCase("GEO90", .fail, ["countyAtDx": "002"]), EditCase("GEO90", .pass, ["countyAtDx": "999"]),
    EditCase("GEO90", .pass, ["countyAtDx": "998"]), EditCase("GEO90", .skip, ["addrAtDxState": "ON"]),
    EditCase("GEO90", .skip, ["countyAtDx": "17"]), EditCase("GEO90", .fail, ["addrAtDxState": "MD", "countyAtDx": "173"]),
    EditCase("GEO90", .pass, ["addrAtDxState": "MD", "countyAtDx": "510"]),  // Baltimore city
    EditCase("GEO90", .fail, ["addrAtDxState": "AK", "countyAtDx": "261", "dateOfDiagnosis": "20200315"]),  // Valdez-Cordova split 2019
    EditCase("GEO90", .pass, ["addrAtDxState": "AK", "countyAtDx": "261", "dateOfDiagnosis": "20180315"]),
    EditCase("GEO90", .fail, ["addrAtDxState": "AK", "countyAtDx": "063", "dateOfDiagnosis": "20180315"]),  // Chugach from 2019
    EditCase("GEO90", .pass, ["addrAtDxState": "AK", "countyAtDx": "063", "dateOfDiagnosis": "20190315"]),
    EditCase("GEO90", .fail, ["addrAtDxState": "CT", "countyAtDx": "110", "dateOfDiagnosis": "20210315"]),  // planning regions from 2022
    EditCase("GEO90", .pass, ["addrAtDxState": "CT", "countyAtDx": "110", "dateOfDiagnosis": "20220315"]),
    EditCase("GEO90", .pass, ["addrAtDxState": "CT", "countyAtDx": "003", "dateOfDiagnosis": "20230315"]),
    EditCase("GEO90", .fail, ["addrAtDxState": "SD", "countyAtDx": "113", "dateOfDiagnosis": "20160315"]),  // Shannon -> Oglala Lakota 2015
    EditCase("GEO90", .pass, ["addrAtDxState": "SD", "countyAtDx": "113", "dateOfDiagnosis": nil]),  // year unknown: ever valid
    EditCase("GEO89", .skip), EditCase("GEO89", .pass, ["countyAtDxAnalysis": "209"]),
    EditCase("GEO89", .fail, ["countyAtDxAnalysis": "511"]),
    EditCase("GEO1840", .skip), EditCase("GEO1840", .pass, ["countyCurrent": "045"]),
    EditCase("GEO1840", .fail, ["countyCurrent": "515", "addrCurrentState": "VA"]),  // Bedford city VA until 2013; last contact 2023
    EditCase("GEO1840", .pass, ["countyCurrent": "515", "addrCurrentState": "VA", "dateOfLastContact": "20120101"]),
    EditCase("NAMESEX", .pass), EditCase("NAMESEX", .fail, ["nameFirst": "James"]),
    EditCase("NAMESEX", .overridden, ["nameFirst": "James", "overRideNameSex": "1"]), EditCase("NAMESEX", .skip, ["nameFirst": nil]),
    EditCase("ACSN", .pass), EditCase("ACSN", .fail, ["accessionNumberHosp": "201900001"]),
    EditCase("ACSN", .overridden, ["accessionNumberHosp": "201900001", "overRideAcsnClassSeq": "1"]),
    EditCase("ACSN", .skip, ["sequenceNumberHospital": "02"]),
    // Stage, nodes, treatment.
    EditCase("ST01", .pass), EditCase("ST01", .fail, ["metsAtDxLung": "1"]), EditCase("ST01", .pass, ["metsAtDxLung": "1", "summaryStage2018": "7", "derivedSummaryStage2018": "7"]),
    EditCase("ST01", .skip, ["summaryStage2018": nil]),
    EditCase("ND01", .pass), EditCase("ND01", .fail, ["regionalNodesPositive": "07"]), EditCase("ND01", .fail, ["regionalNodesExamined": "00"]),
    EditCase("ND01", .pass, ["regionalNodesExamined": "00", "regionalNodesPositive": "98"]), EditCase("ND01", .skip, ["regionalNodesPositive": nil]),
    EditCase("RX01", .pass), EditCase("RX01", .fail, ["reasonForNoSurgery": "1"]), EditCase("RX01", .fail, ["rxSummSurgPrimSite": "00", "rxDateSurgery": nil]),
    EditCase("RX01", .skip, ["reasonForNoSurgery": nil]),
    EditCase("RX02", .pass), EditCase("RX02", .fail, ["reasonForNoRadiation": "0"]), EditCase("RX02", .fail, ["rxSummRadiation": "1"]),
    EditCase("RX02", .skip, ["rxSummRadiation": "X"]),
    EditCase("RX03", .pass), EditCase("RX03", .fail, ["rxSummSurgRadSeq": "3"]), EditCase("RX03", .pass, ["rxSummRadiation": "1", "rxSummSurgRadSeq": "3", "reasonForNoRadiation": "0"]),
    EditCase("RX03", .skip, ["rxSummSurgRadSeq": nil]),
    // A treatment's date is blank when it was not given or is not known to have been (the date/flag rules of v24 and before).
    EditCase("RX04", .pass), EditCase("RX04", .fail, ["rxSummSurgPrimSite": "00", "rxSummScopeRegLnSur": "0"]),
    EditCase("RX04", .pass, ["rxSummSurgPrimSite": "00"]),  // the date is the lymph node surgery's (scope 2)
    EditCase("RX04", .fail, ["rxSummSurgPrimSite": "99", "rxSummScopeRegLnSur": "9", "rxSummSurgOthRegDis": "9"]),
    EditCase("RX04", .fail, ["rxSummSurgPrimSite": nil, "rxSummSurgPrimSite2023": "A000", "rxSummScopeRegLnSur": "0", "dateOfDiagnosis": "20230315"]),
    EditCase("RX04", .skip, ["rxDateSurgery": nil, "rxSummSurgPrimSite": "00", "rxSummScopeRegLnSur": "0"]),
    EditCase("RX05", .pass, ["rxSummChemo": "01", "rxDateChemo": "20200601"]), EditCase("RX05", .fail, ["rxDateChemo": "20200601"]),
    EditCase("RX05", .fail, ["rxSummChemo": "87", "rxDateChemo": "20200601"]), EditCase("RX05", .skip),
    EditCase("RX06", .pass, ["rxSummRadiation": "1", "rxDateRadiation": "20200601"]), EditCase("RX06", .fail, ["rxDateRadiation": "20200601"]),
    EditCase("RX06", .fail, ["rxSummRadiation": "8", "rxDateRadiation": "20200601"]), EditCase("RX06", .skip),
    EditCase("RX07", .pass), EditCase("RX07", .fail, ["rxSummHormone": "00"]), EditCase("RX07", .fail, ["rxSummHormone": "88"]),
    EditCase("RX07", .skip, ["rxDateHormone": nil]),
    EditCase("RX08", .pass, ["rxSummBrm": "01", "rxDateBrm": "20200601"]), EditCase("RX08", .fail, ["rxDateBrm": "20200601"]), EditCase("RX08", .skip),
    EditCase("RX09", .pass, ["rxSummOther": "1", "rxDateOther": "20200601"]), EditCase("RX09", .fail, ["rxDateOther": "20200601"]), EditCase("RX09", .skip),
    EditCase("DX01", .pass, ["typeOfReportingSource": "7", "diagnosticConfirmation": "9"]), EditCase("DX01", .fail, ["typeOfReportingSource": "7"]),
    EditCase("DX01", .skip),
    // Inter-record.
    EditCase("IR09", .skip, ["sequenceNumberCentral": "01", "sequenceNumberHospital": "01"],
             second: ["primarySite": "C619", "histologicTypeIcdO3": "8140", "laterality": "0", "sequenceNumberCentral": "02", "sequenceNumberHospital": "02"], tumor: 1),
    // Item 2010: IR09 applies to paired organs only; two colon primaries of one histology are not edited.
    EditCase("IR09", .skip, ["primarySite": "C182", "histologicTypeIcdO3": "8140", "laterality": "0", "sequenceNumberCentral": "01", "sequenceNumberHospital": "01"],
             second: ["primarySite": "C187", "histologicTypeIcdO3": "8140", "laterality": "0", "sequenceNumberCentral": "02", "sequenceNumberHospital": "02"], tumor: 1),
    EditCase("IR09", .fail, ["sequenceNumberCentral": "01", "sequenceNumberHospital": "01"],
             second: ["primarySite": "C509", "histologicTypeIcdO3": "8501", "sequenceNumberCentral": "02", "sequenceNumberHospital": "02"], tumor: 1),
    EditCase("IR09", .pass, ["sequenceNumberCentral": "01", "sequenceNumberHospital": "01"],
             second: ["laterality": "2", "sequenceNumberCentral": "02", "sequenceNumberHospital": "02"], tumor: 1),  // other breast
    EditCase("IR09", .overridden, ["sequenceNumberCentral": "01", "sequenceNumberHospital": "01"],
             second: ["sequenceNumberCentral": "02", "sequenceNumberHospital": "02", "overRideSiteLatSeqno": "1"], tumor: 1),
    EditCase("IR09", .skip, ["primarySite": nil]),
    EditCase("IR02", .pass, ["sequenceNumberCentral": "01"], second: ["sequenceNumberCentral": "02"], tumor: 1),
    EditCase("IR02", .fail, [:], second: ["sequenceNumberCentral": "01"], tumor: 1),
    EditCase("IR02", .fail, ["sequenceNumberCentral": "01"], second: ["sequenceNumberCentral": "01"], tumor: 1),
    // 60 (the only non-malignant neoplasm) beside a malignant 00: different groups, no conflict; beside 61: a conflict.
    EditCase("IR02", .pass, [:], second: ["sequenceNumberCentral": "60", "behaviorCodeIcdO3": "0"], tumor: 1),
    EditCase("IR02", .fail, ["sequenceNumberCentral": "61", "behaviorCodeIcdO3": "0"], second: ["sequenceNumberCentral": "60"], tumor: 1),
    EditCase("IR02", .fail, ["sequenceNumberCentral": "62"], second: ["sequenceNumberCentral": "62"], tumor: 1),
    EditCase("IR02", .fail, ["sequenceNumberCentral": "99"], second: ["sequenceNumberCentral": "00"], tumor: 1),  // 00 beside 99
    EditCase("IR02", .pass, ["sequenceNumberCentral": "99"], second: ["sequenceNumberCentral": "99"], tumor: 1),  // unknown may repeat
    EditCase("IR02", .skip, [:], second: ["sequenceNumberCentral": "98"], tumor: 1),
    EditCase("IR03", .pass, ["sequenceNumberHospital": "01"], second: ["sequenceNumberHospital": "02"], tumor: 1),
    EditCase("IR03", .fail, [:], second: ["sequenceNumberHospital": "02"], tumor: 1),
    EditCase("IR03", .skip, ["sequenceNumberHospital": nil]),
    // Sequence numbers follow the order of diagnosis within 01-59 and 61-87 (CCR IR812), at the dates' shared precision.
    EditCase("IR04", .pass, ["sequenceNumberCentral": "01", "dateOfDiagnosis": "20180101"], second: ["sequenceNumberCentral": "02", "dateOfDiagnosis": "20200315"], tumor: 1),
    EditCase("IR04", .fail, ["sequenceNumberCentral": "01", "dateOfDiagnosis": "20200315"], second: ["sequenceNumberCentral": "02", "dateOfDiagnosis": "20180101"], tumor: 1),
    EditCase("IR04", .fail, ["sequenceNumberCentral": "02"], second: ["sequenceNumberCentral": "01", "dateOfDiagnosis": "20210101"], tumor: 0),
    EditCase("IR04", .pass, ["sequenceNumberCentral": "02"], second: ["sequenceNumberCentral": "01", "dateOfDiagnosis": "20210101"], tumor: 1),
    EditCase("IR04", .pass, ["sequenceNumberCentral": "02"], second: ["sequenceNumberCentral": "01", "dateOfDiagnosis": "2020"], tumor: 0),  // same year, month unknown
    EditCase("IR04", .pass, ["sequenceNumberCentral": "02"], second: ["sequenceNumberCentral": "61", "dateOfDiagnosis": "20210101"], tumor: 0),  // other group
    EditCase("IR04", .fail, ["sequenceNumberCentral": "62", "behaviorCodeIcdO3": "0"], second: ["sequenceNumberCentral": "61", "dateOfDiagnosis": "202104"], tumor: 0),
    EditCase("IR04", .skip), EditCase("IR04", .skip, ["sequenceNumberCentral": "02", "dateOfDiagnosis": nil], second: ["sequenceNumberCentral": "01"], tumor: 0),
    EditCase("IR05", .pass, ["sequenceNumberHospital": "01", "dateOfDiagnosis": "20180101"], second: ["sequenceNumberHospital": "02", "dateOfDiagnosis": "20200315"], tumor: 1),
    EditCase("IR05", .fail, ["sequenceNumberHospital": "02"], second: ["sequenceNumberHospital": "01", "dateOfDiagnosis": "20210101"], tumor: 0),
    EditCase("IR05", .skip),

    // The published rules the edits had wrong (issue: edits at the standard's breadth), each a case that failed before.
    // Over-ride CoC-Site/Type (1987): the CoC edit accepts Over-ride Site/Type (2030) as equivalent.
    EditCase("COC-ST", .overridden, ["histologicTypeIcdO3": "8312", "overRideSiteType": "1"]),
    // Over-ride Histology (2040): a histology ICD-O-3 lists as /3 is valid in situ unless excluded (8090 basal cell, 8520 lobular).
    EditCase("MORPH", .pass, ["histologicTypeIcdO3": "8520", "behaviorCodeIcdO3": "2", "diagnosticConfirmation": "1"]),
    EditCase("MORPH", .pass, ["histologicTypeIcdO3": "8260", "behaviorCodeIcdO3": "2", "primarySite": "C739", "laterality": "0"]),
    EditCase("MORPH", .fail, ["histologicTypeIcdO3": "8500", "behaviorCodeIcdO3": "1"]),  // ICD-O-3 lists 8500 as /2 and /3 only
    EditCase("MORPH", .pass, ["histologicTypeIcdO3": "8442", "behaviorCodeIcdO3": "1", "primarySite": "C569", "laterality": "1"]),
    // New ICD-O-3 codes only from their year of introduction ([2021+] in SEER's list).
    EditCase("MORPHDX", .skip),  // 8500/3 carries no year
    EditCase("MORPHDX", .pass, ["histologicTypeIcdO3": "9110", "behaviorCodeIcdO3": "3", "primarySite": "C649", "laterality": "1", "dateOfDiagnosis": "20210301", "ageAtDiagnosis": "060", "dateOf1stContact": "20210320", "rxDateSurgery": "20210401", "rxDateHormone": "20210501", "rxDateSystemic": "20210501", "rxDateMostDefinSurg": "20210401", "dateInitialRxSeer": "20210401", "accessionNumberHosp": "202100001"]),
    EditCase("MORPHDX", .fail, ["histologicTypeIcdO3": "9110", "behaviorCodeIcdO3": "3", "primarySite": "C649", "laterality": "1"]),
    EditCase("MORPHDX", .skip, ["dateOfDiagnosis": nil]),
    // Over-ride Age/Site/Morph (1990): 1 and 3 clear the age/site/morphology edits, 2 (in utero) does not.
    EditCase("IF15", .overridden, ["primarySite": "C692", "histologicTypeIcdO3": "9510", "laterality": "1", "overRideAgeSiteMorph": "3"]),
    EditCase("IF15", .fail, ["primarySite": "C692", "histologicTypeIcdO3": "9510", "laterality": "1", "overRideAgeSiteMorph": "2"]),
    // ... and 2 or 3 clears a diagnosis or first contact before birth (in utero); age 000 is then right.
    EditCase("DO01", .overridden, ["dateOfBirth": "20200401", "ageAtDiagnosis": "000", "overRideAgeSiteMorph": "2"]),
    EditCase("DO04", .overridden, ["dateOf1stContact": "19600501", "overRideAgeSiteMorph": "3"]),
    EditCase("AG01", .pass, ["dateOfBirth": "20200401", "ageAtDiagnosis": "000"]),
    EditCase("AG01", .fail, ["dateOfBirth": "20200401", "ageAtDiagnosis": "001"]),
    // Over-ride HospSeq/DxConf (1986): every hospital sequence above 00 except 60-88 (99 is edited).
    EditCase("COC-DXS", .fail, ["sequenceNumberHospital": "99", "diagnosticConfirmation": "9"]),
    EditCase("COC-DXS", .skip, ["sequenceNumberHospital": "60", "diagnosticConfirmation": "9"]),
    // Over-ride Acsn/Class/Seq (1985): class 00, 10-14, 40 with sequence 00, 01, 60, 61; class 38 by its own rules.
    EditCase("ACSN", .fail, ["accessionNumberHosp": "201900001", "sequenceNumberHospital": "60"]),
    EditCase("ACSN", .skip, ["accessionNumberHosp": "201900001", "classOfCase": "20"]),
    EditCase("ACSN", .pass, ["classOfCase": "38", "dateOfLastContact": "20200320", "vitalStatus": "0", "causeOfDeath": "C509", "icdRevisionNumber": "1"]),
    EditCase("ACSN", .fail, ["classOfCase": "38"]),
    // Cause of death by ICD revision; ICD-9 codes are four digits.
    EditCase("VS02", .pass, ["vitalStatus": "0", "causeOfDeath": "1749", "icdRevisionNumber": "9"]),
    EditCase("VS02", .fail, ["vitalStatus": "0", "causeOfDeath": "C509", "icdRevisionNumber": "9"]),
    EditCase("VS02", .fail, ["vitalStatus": "0", "causeOfDeath": "1749", "icdRevisionNumber": "1"]),
    // Surgery of Primary Site by SEER's site-specific tables: 1290 through 2022, 1291 (A/B codes) from 2023.
    EditCase("SURG90", .pass), EditCase("SURG90", .fail, ["rxSummSurgPrimSite": "27"]),  // 27 is not a breast code
    EditCase("SURG90", .skip, ["rxSummSurgPrimSite": nil]),
    EditCase("SURG90", .skip, ["dateOfDiagnosis": "20230315"]),  // 2023: item 1291
    EditCase("SURG91", .pass, ["dateOfDiagnosis": "20230315", "rxSummSurgPrimSite2023": "A200"]),
    EditCase("SURG91", .fail, ["dateOfDiagnosis": "20230315", "rxSummSurgPrimSite2023": "ZZZZ"]),
    EditCase("SURG91", .fail, ["rxSummSurgPrimSite2023": "A200"]),  // 2020: not yet in use
    EditCase("SURG91", .skip),
    // Staging by schema (SEER EOD 2018; codes from the EOD 2018 and SSDI manuals, breast schema 00480).
    EditCase("STG01", .pass), EditCase("STG01", .skip, ["dateOfDiagnosis": "20170315"]),
    EditCase("STG01", .fail, ["schemaId": "00200"]),  // colon and rectum's schema id on a breast tumor
    EditCase("STG01", .fail, ["primarySite": "C111", "histologicTypeIcdO3": "8010", "schemaId": nil]),  // nasopharynx or pharyngeal tonsil
    EditCase("STG01", .pass, ["primarySite": "C111", "histologicTypeIcdO3": "8010", "schemaDiscriminator1": "1", "schemaId": "00090"]),
    EditCase("STG02", .pass), EditCase("STG02", .fail, ["eodPrimaryTumor": "123"]), EditCase("STG02", .skip, ["eodPrimaryTumor": nil]),
    EditCase("STG02", .skip, ["dateOfDiagnosis": "20170315"]),
    EditCase("STG03", .pass), EditCase("STG03", .fail, ["eodRegionalNodes": "900"]), EditCase("STG03", .skip, ["eodRegionalNodes": nil]),
    EditCase("STG04", .pass), EditCase("STG04", .fail, ["eodMets": "40"]), EditCase("STG04", .skip, ["eodMets": nil]),
    EditCase("STG05", .pass), EditCase("STG05", .fail, ["gradeClinical": "5"]),  // breast takes 1-3, H, L, M, 9 (not 5)
    EditCase("STG05", .skip, ["gradeClinical": nil, "gradePathological": nil]),
    EditCase("STG06", .pass), EditCase("STG06", .fail, ["ki67": "150"]), EditCase("STG06", .fail, ["her2IhcSummary": "5"]),
    EditCase("STG06", .skip, ["primarySite": nil]),
    EditCase("STG07", .pass), EditCase("STG07", .fail, ["summaryStage2018": "5"]), EditCase("STG07", .skip, ["summaryStage2018": nil]),
    EditCase("STG08", .pass), EditCase("STG08", .fail, ["derivedSummaryStage2018": "7"]),  // 100/000/00 is localized (1)
    EditCase("STG08", .pass, ["eodRegionalNodes": "300", "derivedSummaryStage2018": "3"]),  // nodes only: regional (3)
    EditCase("STG08", .pass, ["eodMets": "10", "derivedSummaryStage2018": "7"]),
    EditCase("STG08", .skip, ["derivedSummaryStage2018": nil]),
    EditCase("STG09", .pass), EditCase("STG09", .fail, ["behaviorCodeIcdO3": "2"]), EditCase("STG09", .fail, ["summaryStage2018": "0"]),
    EditCase("STG09", .pass, ["behaviorCodeIcdO3": "2", "summaryStage2018": "0"]), EditCase("STG09", .skip, ["summaryStage2018": nil]),
    EditCase("STG10", .pass), EditCase("STG10", .fail, ["oncotypeDxRecurrenceScoreInvasiv": nil]), EditCase("STG10", .skip, ["dateOfDiagnosis": "20170315"]),
    EditCase("STG11", .pass), EditCase("STG11", .fail, ["her2IhcSummary": nil]), EditCase("STG11", .skip, ["primarySite": nil]),
    EditCase("STG12", .pass), EditCase("STG12", .fail, ["her2OverallSummary": nil]), EditCase("STG12", .skip, ["histologicTypeIcdO3": nil]),
    // Radiation phases (items 1506, 1516, 1526, 1210, 1360).
    EditCase("RAD01", .pass), EditCase("RAD01", .fail, ["rxDateRadiation": "20200501"]),
    EditCase("RAD01", .skip, ["phase1RadiationTreatmentModality": "02", "rxDateRadiation": "20200501", "rxSummRadiation": "1", "reasonForNoRadiation": "0"]),
    EditCase("RAD02", .pass), EditCase("RAD02", .fail, ["phase2RadiationTreatmentModality": "02"]),
    EditCase("RAD02", .pass, ["phase1RadiationTreatmentModality": "02", "phase2RadiationTreatmentModality": "09", "rxSummRadiation": "4"]),
    EditCase("RAD02", .fail, ["phase1RadiationTreatmentModality": "02", "phase3RadiationTreatmentModality": "07", "rxSummRadiation": "4"]),
    EditCase("RAD02", .skip, ["phase1RadiationTreatmentModality": nil]),
    EditCase("RAD03", .pass), EditCase("RAD03", .fail, ["phase1RadiationTreatmentModality": "02"]),
    EditCase("RAD03", .fail, ["rxSummRadiation": "1", "reasonForNoRadiation": "0"]),
    EditCase("RAD03", .skip, ["rxSummRadiation": nil]),
    // SEER IF93, races 1-5.
    EditCase("IF93", .pass), EditCase("IF93", .pass, ["race1": "02", "race2": "01", "race3": "88", "race4": "88", "race5": "88"]),
    EditCase("IF93", .fail, ["race1": "01", "race2": "02"]),  // 01 must be the last race recorded
    EditCase("IF93", .fail, ["race1": "02", "race2": "99"]),
    EditCase("IF93", .fail, ["race1": "02", "race2": "88", "race3": "04"]),
    EditCase("IF93", .fail, ["race1": "04", "race2": "04"]),
    EditCase("IF93", .fail, ["race1": "04", "race2": nil, "race3": "05"]),
    EditCase("IF93", .skip, ["race1": nil]),
]
