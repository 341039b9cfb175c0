import Coding

/// Valid-code and format edits, one item each. Code lists follow the NAACCR v26 item definitions; a blank item
/// passes (whether it is required is the submission edit set's business, checked by the completeness edits).
extension EditCatalog {
    static func validCode(_ id: String, _ name: String, _ item: Item, _ codes: Set<String>, note: String = "") -> Edit {
        let valid = PackedCodeSet(codes)
        return Edit(id: id, name: name, kind: .singleField, items: [item], note: note) { r in
            guard let value = r[item] else { return .skip }
            return valid.contains(value) ? .pass : .fail("\(item.naaccrId) '\(value)' is not a valid code")
        }
    }

    static func validFormat(_ id: String, _ name: String, _ item: Item, _ rule: String,
                            _ isValid: @escaping @Sendable (String) -> Bool) -> Edit {
        Edit(id: id, name: name, kind: .singleField, items: [item]) { r in
            guard let value = r[item] else { return .skip }
            return isValid(value) ? .pass : .fail("\(item.naaccrId) '\(value)' must be \(rule)")
        }
    }

    /// A valid-code edit from the item's NAACCR code list (`NaaccrCodeLists`).
    static func codeList(_ id: String, _ name: String, _ item: Item) -> Edit {
        let list = NaaccrCodeLists.list(item.naaccrId)!
        return Edit(id: id, name: name, kind: .singleField, items: [item], note: "the NAACCR code list of \(item.naaccrId)") { r in
            guard let value = r[item] else { return .skip }
            return list.contains(value) ? .pass : .fail("\(item.naaccrId) '\(value)' is not a valid code")
        }
    }

    static let raceCodes = codes("01-08,10-17,20-22,25-28,30-32,88,96-99")
    static let gradeCodes = codes("1-5,8,9").union(["A", "B", "C", "D", "E", "H", "L", "M", "S"])

    /// Built afresh on each call: every engine gets closures of its own (no reference counts shared between threads).
    static func makeSingleField() -> [Edit] { [
        validCode("SF01", "Primary Site (SEER/CoC)", .site, Set(ICDO3.topography.entries.map(\.code))),
        Edit(id: "SF02", name: "Histologic Type ICDO3 (SEER/CoC)", kind: .singleField, items: [.histology]) { r in
            guard let h = r[.histology] else { return .skip }
            return ICDO3.isHistology(h) ? .pass : .fail("histologicTypeIcdO3 '\(h)' is not an ICD-O-3 histology code")
        },
        validCode("SF03", "Behavior Code ICDO3 (SEER/CoC)", .behavior, codes("0-3")),
        validCode("SF04", "Laterality (SEER/CoC)", .laterality, codes("0-5,9")),
        validCode("SF05", "Sex Assigned at Birth (NAACCR)", .sex, Set(ICDO3.sexAssignedAtBirth.entries.map(\.code))),
        validCode("SF06", "Race 1 (SEER/CoC)", .race1, raceCodes.subtracting(["88"])),
        validCode("SF07", "Race 2 (SEER/CoC)", .race2, raceCodes),
        validCode("SF08", "Race 3 (SEER/CoC)", .race3, raceCodes),
        validCode("SF09", "Race 4 (SEER/CoC)", .race4, raceCodes),
        validCode("SF10", "Race 5 (SEER/CoC)", .race5, raceCodes),
        validCode("SF11", "Spanish/Hispanic Origin (SEER/CoC)", .hispanicOrigin, codes("0-9")),
        validCode("SF12", "Vital Status (SEER/CoC)", .vitalStatus, ["0", "1"]),
        validFormat("SF13", "Cause of Death (SEER)", .causeOfDeath,
                    "0000, 7777, 7797, an ICD-10 code (a letter and 2-3 digits) or an ICD-7/8/9 code (four digits)") { v in
            if ["0000", "7777", "7797"].contains(v) { return true }
            let b = Array(v.utf8)
            if b.count == 4, b.allSatisfy({ $0 >= 48 && $0 <= 57 }) { return true }
            return (b.count == 3 || b.count == 4) && b[0] >= 65 && b[0] <= 90 && b.dropFirst().allSatisfy { $0 >= 48 && $0 <= 57 }
        },
        validCode("SF14", "ICD Revision Number (SEER)", .icdRevision, ["0", "1", "7", "8", "9"]),
        validCode("SF15", "Grade Clinical (SEER/CoC)", .gradeClinical, gradeCodes),
        validCode("SF16", "Grade Pathological (SEER/CoC)", .gradePathological, gradeCodes),
        validCode("SF17", "Diagnostic Confirmation (SEER/CoC)", .confirmation, codes("1-9")),
        validCode("SF18", "Type of Reporting Source (SEER/CoC)", .reportingSource, codes("1-8")),
        validCode("SF19", "Age at Diagnosis (SEER/CoC)", .age, codes("000-120,999")),
        validCode("SF20", "Sequence Number--Central (SEER)", .sequenceCentral, codes("00-59,60-88,98,99")),
        validCode("SF21", "Sequence Number--Hospital (CoC)", .sequenceHospital, codes("00-59,60-88,99")),
        validCode("SF22", "Class of Case (CoC)", .classOfCase, codes("00,10-14,20-22,30-38,40-43,49,99")),
        validCode("SF23", "Summary Stage 2018 (SEER)", .stage2018, codes("0-4,7-9")),
        validCode("SF24", "Derived Summary Stage 2018 (SEER)", .derivedStage2018, codes("0-4,7-9")),
        validCode("SF25", "Addr at DX--State (NAACCR)", .stateAtDx, stateCodes),
        validFormat("SF26", "County at DX (NAACCR)", .county, "three digits (999 unknown)") { isDigits($0, count: 3) },
        codeList("SF27", "Primary Payer at DX (CoC)", .payer),
        validCode("SF28", "RX Summ--Surg Prim Site (SEER/CoC)", .surgery, codes("00,10-80,90,98,99")),
        validCode("SF29", "RX Summ--Scope Reg LN Sur (SEER/CoC)", .scopeNodes, codes("0-7,9")),
        validCode("SF30", "RX Summ--Surg Oth Reg/Dis (SEER/CoC)", .surgeryOther, codes("0-5,9")),
        validCode("SF31", "RX Summ--Radiation (NAACCR)", .radiation, codes("0-5,7-9"),
                  note: "Item 1360's list without 6 (other radiation, 1973-1987 cases only); 8 is recommended, unknown if given"),
        validCode("SF32", "RX Summ--Chemo (SEER/CoC)", .chemo, codes("00-03,82,85-88,99")),
        validCode("SF33", "RX Summ--Hormone (SEER/CoC)", .hormone, codes("00,01,82,85-88,99")),
        validCode("SF34", "RX Summ--BRM (SEER/CoC)", .immunotherapy, codes("00,01,82,85-88,99")),
        validCode("SF35", "RX Summ--Other (SEER/CoC)", .otherTreatment, codes("0-3,6-9")),
        validCode("SF36", "RX Summ--Transplnt/Endocr (SEER/CoC)", .transplant, codes("00,10-12,20,30,40,82,85-88,99")),
        validCode("SF37", "Reason for No Surgery (SEER/CoC)", .noSurgeryReason, codes("0-2,5-9")),
        validCode("SF38", "Reason for No Radiation (CoC)", .noRadiationReason, codes("0-2,5-9")),
        validCode("SF39", "RX Summ--Surg/Rad Seq (SEER/CoC)", .surgeryRadiationSequence, codes("0,2-7,9")),
        validCode("SF40", "RX Summ--Systemic/Sur Seq (SEER/CoC)", .systemicSurgerySequence, codes("0,2-7,9")),
        validCode("SF41", "RX Summ--Treatment Status (SEER/CoC)", .treatmentStatus, codes("0-2,9")),
        validCode("SF42", "RX Summ--Surgical Margins (CoC)", .margins, codes("0-3,7-9")),
        codeList("SF43", "Phase I Radiation Treatment Modality (CoC)", .radiationModality),
        validCode("SF44", "Regional Nodes Positive (SEER/CoC)", .nodesPositive, codes("00-90,95,97-99")),
        validCode("SF45", "Regional Nodes Examined (SEER/CoC)", .nodesExamined, codes("00-90,95-99")),
        validCode("SF46", "LymphVascular Invasion (SEER/CoC)", .lymphVascular, codes("0-4,8,9")),
        codeList("SF47", "Tumor Size Summary (SEER/CoC)", .sizeSummary),
        codeList("SF48", "Tumor Size Clinical (SEER/CoC)", .sizeClinical),
        codeList("SF49", "Tumor Size Pathologic (SEER/CoC)", .sizePathologic),
        validCode("SF50", "Mets at DX--Bone (SEER/CoC)", .metsBone, ["0", "1", "8", "9"]),
        validCode("SF51", "Mets at DX--Brain (SEER/CoC)", .metsBrain, ["0", "1", "8", "9"]),
        validCode("SF52", "Mets at DX--Liver (SEER/CoC)", .metsLiver, ["0", "1", "8", "9"]),
        validCode("SF53", "Mets at DX--Lung (SEER/CoC)", .metsLung, ["0", "1", "8", "9"]),
        validCode("SF54", "Mets at DX--Distant LN (SEER/CoC)", .metsDistantNodes, ["0", "1", "8", "9"]),
        validCode("SF55", "Mets at DX--Other (SEER/CoC)", .metsOther, ["0", "1", "8", "9"]),
        validCode("SF56", "Cancer Status (CoC)", .cancerStatus, ["1", "2", "9"]),
        validCode("SF57", "Follow-Up Source (CoC)", .followUpSource, codes("0-5,7-9")),
        validCode("SF58", "Ambiguous Terminology DX (SEER/CoC)", .ambiguousTerminology, ["0", "1", "2", "9"]),
        validCode("SF59", "Multiplicity Counter (SEER/CoC)", .multiplicity, codes("01-89,99")),
        validCode("SF60", "Mult Tum Rpt as One Prim (SEER/CoC)", .multipleAsOne, codes("00,10-12,20,30-32,40,80,88,99")),
        validCode("SF61", "Estrogen Receptor Summary (SEER/CoC)", .estrogen, ["0", "1", "7", "9"]),
        validCode("SF62", "Progesterone Recep Summary (SEER/CoC)", .progesterone, ["0", "1", "7", "9"]),
        validCode("SF63", "HER2 Overall Summary (SEER/CoC)", .her2, ["0", "1", "7", "8", "9"],
                  note: "8 (not applicable) is a code of the esophagus and stomach schemas (SSDI manual); breast takes 0, 1, 7, 9"),
        validCode("SF64", "Birthplace--State (NAACCR)", .birthplaceState, stateCodes),
        validCode("SF65", "Addr Current--State (NAACCR)", .currentState, stateCodes),
        validCode("SF66", "Place of Death--State (NAACCR)", .placeOfDeathState, stateCodes),
        validFormat("SF67", "Accession Number--Hosp (CoC)", .accession, "nine digits, the first four a year") { v in
            isDigits(v, count: 9) && (1900...2099).contains(Int(v.prefix(4))!)
        },
        validFormat("SF68", "Birthplace--Country (NAACCR)", .birthplaceCountry, "three capital letters (ISO 3166 or NAACCR ZZ codes)") { v in
            v.utf8.count == 3 && v.utf8.allSatisfy { $0 >= 65 && $0 <= 90 }
        },
        validCode("SF69", "IHS Link (NAACCR)", .ihsLink, ["0", "1"]),
        validFormat("SF70", "County at DX Analysis (NAACCR)", .countyAnalysis, "three digits (999 unknown)") { isDigits($0, count: 3) },
        validCode("SF71", "RX Hosp--Surg Prim Site (CoC)", .hospitalSurgery, codes("00,10-80,90,98,99")),
        validCode("SF72", "RX Hosp--Radiation (CoC)", .hospitalRadiation, codes("0-5,7,9")),
        validCode("SF73", "RX Hosp--Chemo (CoC)", .hospitalChemo, codes("00-03,82,85-88,99")),
        validCode("SF74", "Next Follow-Up Source (CoC)", .nextFollowUpSource, codes("0-5,8,9")),
        validFormat("SF75", "Census Tract 2010 (NAACCR)", .censusTract, "six digits (999999 unknown)") { isDigits($0, count: 6) },
        validFormat("SF76", "Telephone (NAACCR)", .telephone, "ten digits (0000000000 none, 9999999999 unknown)") { isDigits($0, count: 10) },
        validFormat("SF77", "Social Security Number (NAACCR)", .ssn, "nine digits (999999999 unknown), not starting 000 or 666") { v in
            isDigits(v, count: 9) && (v == "999999999" || (!v.hasPrefix("000") && !v.hasPrefix("666")))
        },
        validFormat("SF78", "NPI--Reporting Facility (NAACCR)", .facilityNPI, "ten digits") { isDigits($0, count: 10) },
        validFormat("SF79", "Reporting Facility (NAACCR)", .facility, "ten characters") { $0.utf8.count == 10 },
        validFormat("SF80", "Addr at DX--Postal Code (NAACCR)", .postalCodeAtDx, "a 5- or 9-digit ZIP code, 88888 or 99999, or a Canadian postal code") { v in
            isDigits(v, count: 5) || isDigits(v, count: 9) || (v.utf8.count == 6 && v.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) })
        },
    ] }
}
