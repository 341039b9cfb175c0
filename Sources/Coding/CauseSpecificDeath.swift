import Foundation

/// The SEER cause-specific death classification (seer.cancer.gov/causespecific, the 2023 site recode version): whether
/// a patient's death is attributed to the tumor, which cause-specific survival counts as the event, and its mirror,
/// death of other causes. Computed for the first tumor only (Sequence Number--Central 00 or 01).
public enum CauseSpecificDeath {
    /// A classification value as SEER codes it.
    public enum Value: String, Sendable, Equatable {
        /// Alive, or dead of another cause (cause-specific) / of this cancer (other cause).
        case aliveOrOtherCause = "0"
        case dead = "1"
        /// Dead, cause of death unknown (7777, 7797).
        case unknownCause = "8"
        /// Not the first tumor (sequence other than 00 and 01).
        case notFirstTumor = "9"
    }

    public struct Input: Sendable {
        /// Sequence Number--Central (380).
        public var sequenceNumber: String
        /// ICD Revision Number (1920): 0 alive, 1 ICD-10, 8 ICD-8, 9 ICD-9.
        public var icdRevision: String
        /// Cause of Death (1910).
        public var causeOfDeath: String
        public var primarySite: String
        public var histology: String
        public var behavior: String
        /// The year of the Date of Last Contact (1750).
        public var lastContactYear: Int?
        /// Vital Status (1760): 0 (or SEER's old 4) dead.
        public var vitalStatus: String

        public init(sequenceNumber: String, icdRevision: String, causeOfDeath: String, primarySite: String, histology: String,
                    behavior: String = "3", lastContactYear: Int?, vitalStatus: String = "") {
            self.sequenceNumber = sequenceNumber
            self.icdRevision = icdRevision
            self.causeOfDeath = causeOfDeath
            self.primarySite = primarySite
            self.histology = histology
            self.behavior = behavior
            self.lastContactYear = lastContactYear
            self.vitalStatus = vitalStatus
        }
    }

    /// (cause-specific, other cause) for `input`, with `cutoffYear` the study's last year (a last contact after it
    /// means alive at the cutoff). The rules, in order: not the first tumor → 9; ICD revision 0 (alive) or a last
    /// contact after the cutoff → alive; no cause of death → alive, or dead of other causes when the vital status is
    /// dead; 7777/7797 → 8; an ICD revision other than 1, 8, 9 → dead of other causes; then the rules for every site
    /// (one primary: any cancer death; first of several: unknown and secondary sites, melanoma of any site, the
    /// miscellaneous groups) and the site recode's own table; else dead of other causes.
    public static func classify(_ input: Input, cutoffYear: Int) -> (causeSpecific: Value, otherCause: Value) {
        let sequence: Int
        switch input.sequenceNumber {
        case "00": sequence = 0
        case "01": sequence = 1
        default: return (.notFirstTumor, .notFirstTumor)
        }
        let icd = input.icdRevision.trimmingCharacters(in: .whitespaces)
        if icd == "0" { return (.aliveOrOtherCause, .aliveOrOtherCause) }
        if let year = input.lastContactYear, year != 9999, year > cutoffYear { return (.aliveOrOtherCause, .aliveOrOtherCause) }
        let cause = input.causeOfDeath.trimmingCharacters(in: .whitespaces).uppercased()
        guard cause.count >= 3 else {
            let dead = input.vitalStatus == "0" || input.vitalStatus == "4"
            return dead ? (.aliveOrOtherCause, .dead) : (.aliveOrOtherCause, .aliveOrOtherCause)
        }
        if cause == "7777" || cause == "7797" { return (.unknownCause, .unknownCause) }
        guard ["1", "8", "9"].contains(icd) else { return (.aliveOrOtherCause, .dead) }
        let three = String(cause.prefix(3))
        let histology = Int(input.histology) ?? -1
        let recode = SEERSiteRecode.revision2023.recode(site: input.primarySite, histology: input.histology,
                                                        behavior: input.behavior, year: nil).code
        let melanoma = (8720...8799).contains(histology)
        var attributed = false
        if sequence == 0 {
            switch icd {
            case "8": attributed = ("140"..."239").contains(three)
            case "9": attributed = ("140"..."239").contains(three) || cause == "0422"
            default: attributed = (three >= "C00" && cause <= "D489") || three == "B21"
            }
        } else {
            switch icd {
            case "8": attributed = three == "199" || (melanoma && (three == "172" || cause == "2169" || cause == "2322"))
            case "9": attributed = three == "199" || (melanoma && ["172", "216", "232"].contains(three))
            default:
                if cause == "C798" || three == "C80" || three == "C97" || cause == "D489" {
                    attributed = true
                } else if melanoma && ["C43", "D03", "D22"].contains(three) {
                    attributed = true
                } else if histology == 9950 || (9960...9964).contains(histology) || (9980...9989).contains(histology) {
                    attributed = three == "C77" || ("C81"..."C96").contains(three) || three == "D36" || ("D45"..."D47").contains(three)
                } else if recode == miscellaneousRecode {
                    attributed = (three >= "C00" && cause <= "D489") || cause == "D619"
                }
            }
        }
        if !attributed, let rows = table[Key(icd: icd, sequence: sequence, recode: recode)] {
            attributed = rows.contains { $0.matches(cause) }
        }
        return attributed ? (.dead, .aliveOrOtherCause) : (.aliveOrOtherCause, .dead)
    }

    /// SEER site recode 2023 "Miscellaneous Neoplasms".
    static let miscellaneousRecode = "79"

    struct Key: Hashable { let icd: String; let sequence: Int; let recode: String }

    /// One table row's causes: 3-character codes and ranges, then 4-character codes and ranges.
    struct Row: Sendable {
        let three: [ClosedRange<String>]
        let four: [ClosedRange<String>]

        func matches(_ cause: String) -> Bool {
            let prefix = String(cause.prefix(3))
            return three.contains { $0.contains(prefix) } || four.contains { $0.contains(cause) }
        }
    }

    static func ranges(_ text: Substring) -> [ClosedRange<String>] {
        text.split(separator: ",").compactMap { token in
            let bounds = token.split(separator: "-").map(String.init)
            guard let low = bounds.first else { return nil }
            let high = bounds.count > 1 ? bounds[1] : low
            return low <= high ? low...high : nil
        }
    }

    /// The table by (ICD revision, sequence group, site recode).
    static let table: [Key: [Row]] = {
        var out: [Key: [Row]] = [:]
        for line in tableText.split(separator: "\n") {
            let f = line.trimmingCharacters(in: .whitespaces).split(separator: "|", omittingEmptySubsequences: false)
            guard f.count == 5 else { continue }
            out[Key(icd: String(f[0]), sequence: f[1] == "0" ? 0 : 1, recode: String(f[2])), default: []]
                .append(Row(three: ranges(f[3]), four: ranges(f[4])))
        }
        return out
    }()

    /// The table's rows as (icd, sequence group, recode, 3-character text, 4-character text), for the drift test.
    public static var rows: [(icd: String, sequence: Int, recode: String, three: String, four: String)] {
        tableText.split(separator: "\n").map { line in
            let f = line.trimmingCharacters(in: .whitespaces).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            return (f[0], f[1] == "0" ? 0 : 1, f[2], f[3], f[4])
        }
    }
}
