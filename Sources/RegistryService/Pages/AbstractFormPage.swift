import CivilCalendar
import Coding
import Foundation
import Hummingbird
import NAACCR
import Registry
import RegistryStore
import Staging
import Synchronization

/// The abstract form: its sections, its pickers, and the staging schema's own section, which follows the site,
/// histology, behavior, year and discriminators while the registrar types (`GET /tumors/{id}/schema-items`).
extension PageController {
    /// The abstract form's sections in a registrar's order (patient, cancer identification, stage, first course of
    /// treatment, follow-up, administrative, text, over-rides); patient items are saved on the patient. The staging
    /// schema's own items (SSDIs, grade) get a section of their own when the site and histology select a schema.
    static let formGroups: [(title: String, items: [String])] = [
        ("Patient", ["patientIdNumber", "medicalRecordNumber", "nameLast", "nameFirst", "dateOfBirth", "sexAssignedAtBirth", "race1",
                     "spanishHispanicOrigin", "addrAtDxState", "countyAtDx"]),
        ("Cancer identification", ["dateOfDiagnosis", "primarySite", "laterality", "histologicTypeIcdO3", "behaviorCodeIcdO3",
                                   "gradeClinical", "gradePathological", "diagnosticConfirmation", "ageAtDiagnosis"]),
        ("Stage", ["summaryStage2018", "derivedSummaryStage2018", "eodPrimaryTumor", "eodRegionalNodes", "eodMets", "ajccTnmClinT",
                   "ajccTnmClinN", "ajccTnmClinM", "ajccTnmClinStageGroup", "ajccTnmPathT", "ajccTnmPathN", "ajccTnmPathM",
                   "ajccTnmPathStageGroup", "tumorSizeSummary", "regionalNodesExamined", "regionalNodesPositive", "lymphVascularInvasion",
                   "metsAtDxBone", "metsAtDxBrain", "metsAtDxLiver", "metsAtDxLung", "metsAtDxDistantLn", "metsAtDxOther"]),
        ("First course of treatment", ["rxSummSurgPrimSite2023", "rxSummSurgPrimSite", "rxDateSurgery", "reasonForNoSurgery",
                                       "rxSummScopeRegLnSur", "rxSummRadiation", "rxDateRadiation", "reasonForNoRadiation", "rxSummChemo",
                                       "rxDateChemo", "rxSummHormone", "rxDateHormone", "rxSummBrm", "rxSummOther", "rxSummSurgRadSeq",
                                       "rxSummSystemicSurSeq", "rxSummTreatmentStatus"]),
        ("Follow-up", ["dateOfLastContact", "vitalStatus", "causeOfDeath", "cancerStatus", "dateOfLastCancerStatus", "followUpSource",
                       "nextFollowUpSource", "physicianFollowUp"]),
        ("Administrative", ["accessionNumberHosp", "sequenceNumberHospital", "sequenceNumberCentral", "classOfCase", "typeOfReportingSource",
                            "dateOf1stContact", "abstractedBy", "dateCaseInitiated", "dateCaseCompleted"]),
        ("Text documentation", ["textDxProcPe", "textDxProcXRayScan", "textDxProcScopes", "textDxProcLabTests", "textDxProcOp",
                                "textDxProcPath", "textPrimarySiteTitle", "textHistologyTitle", "textStaging", "rxTextSurgery",
                                "rxTextRadiation", "rxTextRadiationOther", "rxTextChemo", "rxTextHormone", "rxTextBrm", "rxTextOther",
                                "textRemarks", "textPlaceOfDiagnosis"]),
        ("Over-rides", ["overRideSiteType", "overRideHistology", "overRideAgeSiteMorph", "overRideSiteLatMorph", "overRideSurgDxconf"]),
    ]

    /// The items that choose the staging schema (SEER EOD 2018 schema selection) and the surgery codes (site, year):
    /// when one of them changes on the form, the schema's section is fetched again.
    static let schemaSelectionItems = ["primarySite", "histologicTypeIcdO3", "behaviorCodeIcdO3", "dateOfDiagnosis", "sexAssignedAtBirth",
                                       "schemaDiscriminator1", "schemaDiscriminator2"]

    /// Items already on the standard sections, left out of the schema's own section.
    static let itemsOnStandardSections: Set<String> = ["primarySite", "histologicTypeIcdO3", "dateOfDiagnosis", "behaviorCodeIcdO3",
                                                       "sexAssignedAtBirth", "ageAtDiagnosis", "eodPrimaryTumor", "eodRegionalNodes", "eodMets",
                                                       "regionalNodesPositive", "regionalNodesExamined", "lymphVascularInvasion", "tumorSizeSummary"]

    static let histologyOptions: [[String: String]] = {
        var seen = Set<String>(), options: [[String: String]] = []
        for entry in ICDO3.morphology.entries.sorted(by: { $0.code.hasSuffix("/3") && !$1.code.hasSuffix("/3") }) {
            let code = String(entry.code.prefix(4))
            if seen.insert(code).inserted { options.append(["code": code, "label": entry.label]) }
        }
        return options.sorted { $0["code"]! < $1["code"]! }
    }()

    /// SEER EOD 2018 staging data (loaded once, on the first abstract opened): the schema's items and their codes.
    static var stager: Stager { .eod }

    /// Text escaped for HTML (element content and quoted attributes).
    static func escapeHTML(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A picker's options as a `<datalist>` (value = the code, label = its words).
    static func datalist(id: String, _ entries: [(code: String, label: String)]) -> String {
        "<datalist id=\"\(escapeHTML(id))\">" + entries.map { "<option value=\"\(escapeHTML($0.code))\">\(escapeHTML($0.label))</option>" }.joined()
            + "</datalist>"
    }

    /// The pickers every abstract has, rendered once: sites, histologies and each NAACCR code list (by item).
    static let sitesDatalist = datalist(id: "sites", ICDO3.topography.entries.map { ($0.code, $0.label) })
    static let histologiesDatalist = datalist(id: "histologies", histologyOptions.map { ($0["code"]!, $0["label"]!) })
    /// Histologies with their behavior (8500/3), for reports that name both.
    static let morphologyDatalist = datalist(id: "histologies", ICDO3.morphology.entries.map { ($0.code, $0.label) })
    /// The pickers no abstract changes (sites, histologies, the NAACCR code list of each coded item on the form), served
    /// once as `/static/pickers.html` (cached by the browser; public standards, no patient data) and added to the form
    /// by its script: each abstract page then carries only its own lists (surgery codes, the schema's items).
    static let pickersHTML: String = {
        var lists = [sitesDatalist, histologiesDatalist]
        for item in formGroups.flatMap(\.items) + ["schemaDiscriminator1", "schemaDiscriminator2"]
        where item != "primarySite" && item != "histologicTypeIcdO3" && item != "countyAtDx" {
            if let codes = NaaccrCodeLists.list(item) { lists.append(datalist(id: "cl-\(item)", codes.entries.map { ($0.code, $0.label) })) }
        }
        return lists.joined(separator: "\n")
    }()

    /// A staging schema's own items (not on the standard sections) with their codes and labels, computed once per schema.
    static let schemaFields = Mutex<[String: [(item: String, codes: [(code: String, label: String)])]]>([:])
    static func fields(of schema: StagingAlgorithm.Schema) -> [(item: String, codes: [(code: String, label: String)])] {
        if let cached = schemaFields.withLock({ $0[schema.id] }) { return cached }
        let computed = schema.inputs.compactMap { input -> (item: String, codes: [(code: String, label: String)])? in
            guard let item = input.item, !itemsOnStandardSections.contains(item), NaaccrDictionary.v26.item(item) != nil else { return nil }
            return (item, stager.codes(of: input).map { code in (code, stager.check(input, value: code).label ?? "") })
        }
        schemaFields.withLock { $0[schema.id] = computed }
        return computed
    }

    /// A stored NAACCR date (CCYYMMDD, CCYYMM or CCYY) as the form shows it (YYYY-MM-DD, YYYY-MM, YYYY).
    static func formDate(_ value: String) -> String {
        guard value.allSatisfy(\.isNumber) else { return value }
        switch value.count {
        case 8: return "\(value.prefix(4))-\(value.dropFirst(4).prefix(2))-\(value.suffix(2))"
        case 6: return "\(value.prefix(4))-\(value.suffix(2))"
        default: return value
        }
    }

    func abstractPage(_ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let id = try context.pathId()
        let stored = try await registry.abstract(tumorId: id, for: user, from: address)
        var form = AbstractFormRenderer(stored: stored, canEdit: Permission.editAbstracts.allows(user.role),
                                        showIdentifiers: Permission.readIdentifiers.allows(user.role))
        let sections = form.sections()
        let site = stored.tumorItems["primarySite"] ?? ""
        let values: [String: Any] = [
            "tumorId": id, "patientId": stored.patientId, "version": stored.version, "patientVersion": stored.patientVersion,
            "csrf": context.session?.csrfToken ?? "", "canEdit": form.canEdit,
            "siteLabel": ICDO3.topography.label(site) ?? site,
            "patientName": form.showIdentifiers
                ? "\(stored.patientItems["nameLast"] ?? ""), \(stored.patientItems["nameFirst"] ?? "")" : "patient \(stored.patientItems["patientIdNumber"] ?? "")",
            "sections": sections, "datalists": form.datalistsHTML,
        ]
        return PageRenderer.page(title: "Abstract", template: "abstract", values, context: context)
    }

    /// The staging schema's section (and the surgery codes) for the site, histology, behavior, year, sex and
    /// discriminators being typed (query items by NAACCR id; a missing one is the stored value): an HTML fragment the
    /// form swaps in, so the schema's SSDIs and grade appear while the registrar types, before any save.
    func schemaItemsFragment(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let id = try context.pathId()
        var typed: [String: String] = [:]
        for item in Self.schemaSelectionItems {
            // Present in the query (even blank) means typed: a blank replaces the stored value.
            if request.uri.queryParameters[item[...]] != nil { typed[item] = try request.queryText(item, maxLength: 20) ?? "" }
        }
        let stored = try await registry.abstract(tumorId: id, for: user, from: address)
        var form = AbstractFormRenderer(stored: stored, canEdit: Permission.editAbstracts.allows(user.role),
                                        showIdentifiers: Permission.readIdentifiers.allows(user.role), typed: typed)
        let block = form.schemaBlock()
        let surgery = form.surgeryDatalist()
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: block + form.datalistsHTML + surgery)))
    }
}

/// One abstract's form written straight to HTML (about 150 fields: Mustache's dynamic look-ups were two thirds of the
/// page's time). Each field: label with its NAACCR item number, the input by kind (date, long text with a count, code
/// with its picker and label), and a place for the edits' messages.
struct AbstractFormRenderer {
    let stored: StoredAbstract
    let canEdit: Bool
    let showIdentifiers: Bool
    /// Schema-selection items as typed on the form (they choose the schema and the surgery codes; values shown are stored).
    var typed: [String: String] = [:]
    /// List id → rendered `<datalist>`, for the lists this form carries itself (surgery codes, the schema's items).
    private var datalists: [String: String] = [:]

    /// The SEER surgery codes of the site and year (nil when SEER has no table for the site).
    let surgery: SurgeryCodes.SiteGroup?

    init(stored: StoredAbstract, canEdit: Bool, showIdentifiers: Bool, typed: [String: String] = [:]) {
        self.stored = stored
        self.canEdit = canEdit
        self.showIdentifiers = showIdentifiers
        self.typed = typed
        let selecting = { Self.selecting($0, typed: typed, stored: stored) }
        let year = Self.year(selecting)
        surgery = SurgeryCodes.group(site: selecting("primarySite") ?? "", histology: selecting("histologicTypeIcdO3"), year: year)
    }

    var datalistsHTML: String { datalists.sorted { $0.key < $1.key }.map(\.value).joined() }

    /// The value that chooses the schema: typed if the form sent it, else stored.
    func selecting(_ itemId: String) -> String? { Self.selecting(itemId, typed: typed, stored: stored) }

    static func selecting(_ itemId: String, typed: [String: String], stored: StoredAbstract) -> String? {
        if let v = typed[itemId] { return v.isEmpty ? nil : v }
        return stored.tumorItems[itemId] ?? stored.patientItems[itemId]
    }

    /// The year of diagnosis (this year when unknown): it chooses the surgery item (1290 before 2023, 1291 after).
    static func year(_ value: (String) -> String?) -> Int { Int(value("dateOfDiagnosis")?.prefix(4) ?? "") ?? CalendarDate.today.year }

    var year: Int { Self.year { selecting($0) } }

    /// The surgery codes of the site and year as the `surgery` picker (empty when SEER has no table for the site).
    func surgeryDatalist() -> String {
        PageController.datalist(id: "surgery", surgery?.codes.entries.map { ($0.code, $0.label) } ?? [])
    }

    /// Every section in order, the staging schema's block after Stage.
    mutating func sections() -> String {
        var html = ""
        html.reserveCapacity(96 * 1024)
        for (index, group) in PageController.formGroups.enumerated() {
            if index == 3 { html += schemaBlock() }
            html += "<fieldset><legend>\(PageController.escapeHTML(group.title))</legend>"
            for item in group.items { field(item, into: &html) }
            html += "</fieldset>\n"
        }
        return html
    }

    /// The schema the site and histology select (SEER EOD 2018), named, with its site-specific data items and grade.
    mutating func schemaBlock() -> String {
        var name = "", inner = ""
        switch PageController.stager.selectSchema({ selecting($0) }) {
        case .schema(let schema):
            name = "\(schema.name)\(schema.schemaId.map { " (Schema ID \($0))" } ?? "")"
            let fields = PageController.fields(of: schema)
            if !fields.isEmpty {
                inner += "<fieldset><legend>Site-specific data items: \(PageController.escapeHTML(schema.name))</legend>"
                for f in fields { field(f.item, list: f.codes.isEmpty ? nil : (id: "ss-\(f.item)", entries: f.codes), into: &inner) }
                inner += "</fieldset>"
            }
        case .needsDiscriminator(let ids):
            name = "several schemas fit (\(ids.joined(separator: ", "))): Schema Discriminator 1 or 2 chooses"
            inner += "<fieldset><legend>Schema discriminator</legend>"
            field("schemaDiscriminator1", into: &inner)
            field("schemaDiscriminator2", into: &inner)
            inner += "</fieldset>"
        case .none:
            name = "no staging schema for this site and histology"
        }
        return "<div id=\"schema-block\"><p class=\"schema\">Staging schema: \(PageController.escapeHTML(name))</p>\(inner)</div>\n"
    }

    /// One field of the form: its kind (date, long text, code with a picker) decides how it is entered and shown.
    mutating func field(_ itemId: String, list: (id: String, entries: [(code: String, label: String)])? = nil, into html: inout String) {
        guard let item = NaaccrDictionary.v26.item(itemId) else { return }
        // Items the role may not see are not on its form at all.
        if !showIdentifiers, IdentifierVisibility.directIdentifiers.contains(itemId) { return }
        let esc = PageController.escapeHTML
        let isPatient = item.level == .patient
        let raw = (isPatient ? stored.patientItems[itemId] : stored.tumorItems[itemId]) ?? ""
        let level = isPatient ? "patient" : "tumor"
        let readonly = !canEdit || itemId == "patientIdNumber" ? " readonly" : ""
        let isText = item.dataType == .text && item.length >= 100
        html += "<div class=\"field\(isText ? " text" : "")\" data-item=\"\(itemId)\"><label for=\"f-\(itemId)\">\(esc(item.name)) "
        html += "<span class=\"num\">\(item.naaccrNum)</span></label>"
        if isText {
            html += "<textarea id=\"f-\(itemId)\" name=\"\(itemId)\" data-level=\"\(level)\" maxlength=\"\(item.length)\" rows=\"3\"\(readonly)>"
            html += "\(esc(raw))</textarea><span class=\"count\" id=\"c-\(itemId)\" aria-live=\"polite\">\(raw.count) / \(item.length)</span>"
        } else {
            var value = raw, codeLabel = "", listId: String? = list?.id, entries = list?.entries
            var attributes = " maxlength=\"\(item.length)\""
            if item.dataType == .date {
                value = PageController.formDate(raw)
                codeLabel = PageRenderer.spokenDate(raw)
                attributes = " data-kind=\"date\" maxlength=\"10\" placeholder=\"YYYY-MM-DD\" inputmode=\"numeric\" aria-describedby=\"d-\(itemId)\""
            } else {
                switch itemId {
                case "primarySite": listId = "sites"; codeLabel = ICDO3.topography.label(raw) ?? ""
                case "histologicTypeIcdO3":
                    listId = "histologies"
                    let behavior = stored.tumorItems["behaviorCodeIcdO3"] ?? "3"
                    codeLabel = ICDO3.morphology.label("\(raw)/\(behavior)") ?? ICDO3.morphology.label("\(raw)/3") ?? ""
                case "countyAtDx":
                    // The counties of the abstract's state (FIPS codes, names, the years a changed county is valid in),
                    // not the NAACCR list, which holds one state's.
                    let state = stored.tumorItems["addrAtDxState"].flatMap { $0.isEmpty ? nil : $0 }
                    listId = "counties"
                    codeLabel = raw.isEmpty ? "" : USCounties.label(state: state, code: raw) ?? ""
                    if datalists["counties"] == nil {
                        let counties = state.flatMap { USCounties.counties(of: $0) } ?? []
                        datalists["counties"] = PageController.datalist(id: "counties", counties.map { ($0.code, $0.label) }
                            + USCounties.specialCodes.map { ($0.code, $0.label) })
                    }
                case "rxSummSurgPrimSite2023" where year >= 2023, "rxSummSurgPrimSite" where year < 2023:
                    // The surgery codes of the site and year; the list itself is sent once per page (`surgery`).
                    listId = "surgery"
                    if let surgery { codeLabel = raw.isEmpty ? "" : surgery.codes.label(raw) ?? "" }
                    if datalists["surgery"] == nil { datalists["surgery"] = surgeryDatalist() }
                default:
                    // A standard code list: its picker comes with /static/pickers.html; only the value's label is needed here.
                    if entries == nil, let codes = NaaccrCodeLists.list(itemId) {
                        listId = "cl-\(itemId)"
                        codeLabel = raw.isEmpty ? "" : codes.label(raw) ?? ""
                    }
                }
                if let listId, let entries {
                    // This abstract's own lists (the schema's items) are in its page.
                    if datalists[listId] == nil { datalists[listId] = PageController.datalist(id: listId, entries) }
                    codeLabel = entries.first { $0.code == raw }?.label ?? ""
                }
            }
            html += "<input id=\"f-\(itemId)\" name=\"\(itemId)\" value=\"\(esc(value))\" data-level=\"\(level)\""
            if let listId { html += " list=\"\(esc(listId))\"" }
            html += "\(readonly)\(attributes) autocomplete=\"off\" spellcheck=\"false\">"
            html += "<span class=\"code-label\" id=\"d-\(itemId)\">\(esc(codeLabel))</span>"
        }
        html += "<output class=\"messages\" for=\"f-\(itemId)\"></output></div>\n"
    }
}
