import Coding
import NAACCR

/// A NAACCR item as the edits address it: resolved once to a slot in the small per-record array the engine
/// fills, so edits read values by index, never by name.
///
/// An item is its level and slot only (its naaccrId is looked up from the slot): a plain value that several hundred
/// edits pass around for every tumor without reference counting (a stored id string was retained and released on
/// each copy).
public struct Item: Sendable, Hashable, CustomStringConvertible {
    public let level: NaaccrLevel
    /// Position among the items the edits use.
    let slot: Int

    /// The item's NAACCR XML id.
    public var naaccrId: String { Item.used[slot] }

    /// Every item some edit may read; slots are positions in this list: the items the edits below name, the required
    /// items, the staging schemas' inputs, every other v26 item coded from a NAACCR code list (its valid-code edit), then
    /// the rest of the v26 patient and tumor items (for registry-defined edits).
    static let used: [String] = layout.used

    /// How many of `used` the built-in edits may read (the rest only registry edits do): an engine without registry
    /// edits fills only these slots per record.
    static let builtInWidth: Int = layout.builtIn

    private static let layout: (used: [String], builtIn: Int) = {
        var seen = Set(named)
        // The required-item edits' items (schema/edits/required-items.tsv) that no other edit names.
        let required = EditCatalog.requirements.flatMap { [$0.naaccrId] + ($0.condition.map { [$0.item] } ?? []) }
            .filter { seen.insert($0).inserted }
        // The staging schemas' inputs (EOD, grade, SSDIs) the staging edits read.
        let staging = EditCatalog.stagingItemIds.filter { seen.insert($0).inserted }
        // Patient and tumor items only: NaaccrData-level items (record type, registry type) are checked by the reader.
        let coded = NaaccrDictionary.v26.allItems.filter { $0.level != .naaccrData }.map(\.naaccrId).filter { id in
            NaaccrCodeLists.list(id) != nil && !NaaccrCodeLists.notExhaustive.contains(id) && seen.insert(id).inserted
        }
        // Then every other patient and tumor item, which a registry's own edits (RegistryEdits) may read.
        let others = NaaccrDictionary.v26.allItems.filter { $0.level != .naaccrData }.map(\.naaccrId).filter { seen.insert($0).inserted }
        return (named + required + staging + coded + others, named.count + required.count + staging.count + coded.count)
    }()

    private static let named: [String] = [
        "sexAssignedAtBirth", "race1", "race2", "race3", "race4", "race5", "spanishHispanicOrigin", "dateOfBirth",
        "dateOfLastContact", "vitalStatus", "causeOfDeath", "icdRevisionNumber", "birthplaceState", "addrCurrentState",
        "placeOfDeathState", "nameFirst", "socialSecurityNumber",
        "primarySite", "histologicTypeIcdO3", "behaviorCodeIcdO3", "laterality", "gradeClinical", "gradePathological",
        "diagnosticConfirmation", "typeOfReportingSource", "dateOfDiagnosis", "ageAtDiagnosis", "sequenceNumberCentral",
        "sequenceNumberHospital", "classOfCase", "dateOf1stContact", "summaryStage2018", "derivedSummaryStage2018",
        "addrAtDxState", "countyAtDx", "primaryPayerAtDx", "accessionNumberHosp", "tumorRecordNumber",
        "rxSummSurgPrimSite", "rxSummSurgPrimSite2023", "rxSummScopeRegLnSur", "rxSummSurgOthRegDis", "rxSummRadiation", "rxSummChemo",
        "rxSummHormone", "rxSummBrm", "rxSummOther", "rxSummTransplntEndocr", "reasonForNoSurgery", "reasonForNoRadiation",
        "rxSummSurgRadSeq", "rxSummSystemicSurSeq", "rxSummTreatmentStatus", "rxSummSurgicalMargins",
        "phase1RadiationTreatmentModality", "phase2RadiationTreatmentModality", "phase3RadiationTreatmentModality", "rxDateSurgery", "rxDateRadiation", "rxDateChemo", "rxDateHormone",
        "rxDateSystemic", "rxDateMostDefinSurg", "dateInitialRxSeer", "dateOfLastCancerStatus",
        "regionalNodesPositive", "regionalNodesExamined", "lymphVascularInvasion", "tumorSizeSummary", "tumorSizeClinical",
        "tumorSizePathologic", "metsAtDxBone", "metsAtDxBrain", "metsAtDxLiver", "metsAtDxLung", "metsAtDxDistantLn",
        "metsAtDxOther", "cancerStatus", "followUpSource", "ambiguousTerminologyDx", "multiplicityCounter",
        "multTumRptAsOnePrim", "estrogenReceptorSummary", "progesteroneRecepSummary", "her2OverallSummary",
        "eodPrimaryTumor", "eodRegionalNodes", "eodMets",
        "overRideSiteType", "overRideHistology", "overRideAgeSiteMorph", "overRideSeqnoDxconf", "overRideSiteLatSeqno",
        "overRideSurgDxconf", "overRideReportSource", "overRideIllDefineSite", "overRideLeukLymphoma",
        "overRideSiteBehavior", "overRideSiteLatMorph", "overRideCocSiteType", "overRideHospseqDxconf", "overRideHospseqSite",
        "overRideAcsnClassSeq", "birthplaceCountry", "ihsLink", "countyAtDxAnalysis", "rxHospSurgPrimSite", "rxHospRadiation",
        "rxHospChemo", "nextFollowUpSource", "censusTract2010", "telephone", "npiReportingFacility", "reportingFacility",
        "addrAtDxPostalCode", "overRideSiteEodDxDt", "overRideSiteLatEod", "overRideNameSex", "countyCurrent", "rxDateBrm", "rxDateOther",
    ]
    static let slotById: [String: Int] = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($1, $0) })

    init(_ naaccrId: String) {
        guard let slot = Item.slotById[naaccrId], let key = NaaccrDictionary.v26.key(naaccrId) else {
            fatalError("edit item \(naaccrId) is not in Item.used or not in the v26 dictionary")
        }
        self.level = key.level
        self.slot = slot
    }

    public var description: String { naaccrId }
}

extension Item {
    static let sex = Item("sexAssignedAtBirth"), race1 = Item("race1"), race2 = Item("race2"), race3 = Item("race3")
    static let race4 = Item("race4"), race5 = Item("race5"), hispanicOrigin = Item("spanishHispanicOrigin")
    static let birthDate = Item("dateOfBirth"), lastContact = Item("dateOfLastContact"), vitalStatus = Item("vitalStatus")
    static let causeOfDeath = Item("causeOfDeath"), icdRevision = Item("icdRevisionNumber"), birthplaceState = Item("birthplaceState")
    static let currentState = Item("addrCurrentState"), countyCurrent = Item("countyCurrent"), placeOfDeathState = Item("placeOfDeathState")
    static let site = Item("primarySite"), histology = Item("histologicTypeIcdO3"), behavior = Item("behaviorCodeIcdO3")
    static let laterality = Item("laterality"), gradeClinical = Item("gradeClinical"), gradePathological = Item("gradePathological")
    static let confirmation = Item("diagnosticConfirmation"), reportingSource = Item("typeOfReportingSource")
    static let diagnosisDate = Item("dateOfDiagnosis"), age = Item("ageAtDiagnosis")
    static let sequenceCentral = Item("sequenceNumberCentral"), sequenceHospital = Item("sequenceNumberHospital")
    static let classOfCase = Item("classOfCase"), firstContact = Item("dateOf1stContact")
    static let stage2018 = Item("summaryStage2018"), derivedStage2018 = Item("derivedSummaryStage2018")
    static let stateAtDx = Item("addrAtDxState"), county = Item("countyAtDx"), payer = Item("primaryPayerAtDx")
    static let accession = Item("accessionNumberHosp")
    static let surgery2023 = Item("rxSummSurgPrimSite2023")
    static let surgery = Item("rxSummSurgPrimSite"), scopeNodes = Item("rxSummScopeRegLnSur"), surgeryOther = Item("rxSummSurgOthRegDis")
    static let radiation = Item("rxSummRadiation"), chemo = Item("rxSummChemo"), hormone = Item("rxSummHormone")
    static let immunotherapy = Item("rxSummBrm"), otherTreatment = Item("rxSummOther"), transplant = Item("rxSummTransplntEndocr")
    static let noSurgeryReason = Item("reasonForNoSurgery"), noRadiationReason = Item("reasonForNoRadiation")
    static let surgeryRadiationSequence = Item("rxSummSurgRadSeq"), systemicSurgerySequence = Item("rxSummSystemicSurSeq")
    static let treatmentStatus = Item("rxSummTreatmentStatus"), margins = Item("rxSummSurgicalMargins")
    static let radiationModality = Item("phase1RadiationTreatmentModality")
    static let radiationModality2 = Item("phase2RadiationTreatmentModality"), radiationModality3 = Item("phase3RadiationTreatmentModality")
    static let surgeryDate = Item("rxDateSurgery"), radiationDate = Item("rxDateRadiation"), chemoDate = Item("rxDateChemo")
    static let immunotherapyDate = Item("rxDateBrm"), otherTreatmentDate = Item("rxDateOther")
    static let hormoneDate = Item("rxDateHormone"), systemicDate = Item("rxDateSystemic"), definitiveSurgeryDate = Item("rxDateMostDefinSurg")
    static let firstTreatmentDate = Item("dateInitialRxSeer"), cancerStatusDate = Item("dateOfLastCancerStatus")
    static let nodesPositive = Item("regionalNodesPositive"), nodesExamined = Item("regionalNodesExamined")
    static let lymphVascular = Item("lymphVascularInvasion"), sizeSummary = Item("tumorSizeSummary")
    static let sizeClinical = Item("tumorSizeClinical"), sizePathologic = Item("tumorSizePathologic")
    static let metsBone = Item("metsAtDxBone"), metsBrain = Item("metsAtDxBrain"), metsLiver = Item("metsAtDxLiver")
    static let metsLung = Item("metsAtDxLung"), metsDistantNodes = Item("metsAtDxDistantLn"), metsOther = Item("metsAtDxOther")
    static let cancerStatus = Item("cancerStatus"), followUpSource = Item("followUpSource")
    static let ambiguousTerminology = Item("ambiguousTerminologyDx"), multiplicity = Item("multiplicityCounter")
    static let multipleAsOne = Item("multTumRptAsOnePrim"), estrogen = Item("estrogenReceptorSummary")
    static let progesterone = Item("progesteroneRecepSummary"), her2 = Item("her2OverallSummary")
    static let eodPrimary = Item("eodPrimaryTumor"), eodNodes = Item("eodRegionalNodes"), eodMets = Item("eodMets")
    static let overrideSiteType = Item("overRideSiteType"), overrideHistology = Item("overRideHistology")
    static let overrideAgeSiteMorph = Item("overRideAgeSiteMorph"), overrideSeqDxConf = Item("overRideSeqnoDxconf")
    static let overrideSiteLatSeq = Item("overRideSiteLatSeqno"), overrideSurgDxConf = Item("overRideSurgDxconf")
    static let overrideReportSource = Item("overRideReportSource"), overrideIllDefined = Item("overRideIllDefineSite")
    static let overrideLeukLymphoma = Item("overRideLeukLymphoma"), overrideSiteBehavior = Item("overRideSiteBehavior")
    static let overrideSiteLatMorph = Item("overRideSiteLatMorph"), overrideCocSiteType = Item("overRideCocSiteType")
    static let overrideHospSeqDxConf = Item("overRideHospseqDxconf"), overrideHospSeqSite = Item("overRideHospseqSite")
    static let birthplaceCountry = Item("birthplaceCountry"), ihsLink = Item("ihsLink"), countyAnalysis = Item("countyAtDxAnalysis")
    static let hospitalSurgery = Item("rxHospSurgPrimSite"), hospitalRadiation = Item("rxHospRadiation"), hospitalChemo = Item("rxHospChemo")
    static let nextFollowUpSource = Item("nextFollowUpSource"), censusTract = Item("censusTract2010"), telephone = Item("telephone")
    static let ssn = Item("socialSecurityNumber"), facilityNPI = Item("npiReportingFacility"), facility = Item("reportingFacility")
    static let postalCodeAtDx = Item("addrAtDxPostalCode"), firstName = Item("nameFirst")
    static let overrideSiteEodDate = Item("overRideSiteEodDxDt"), overrideSiteLatEod = Item("overRideSiteLatEod")
    static let overrideNameSex = Item("overRideNameSex"), overrideAcsnClassSeq = Item("overRideAcsnClassSeq")
}
