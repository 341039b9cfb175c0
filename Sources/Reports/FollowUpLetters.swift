import Foundation

/// One follow-up letter: to the following physician or to the patient.
public struct FollowUpLetter: Sendable, Equatable {
    public var patientId: Int
    public var patientIdNumber: String
    public var patientName: String
    public var toPhysician: Bool
    /// Who the letter goes to and where (several lines).
    public var addressee: String
    public var address: String
    public var sites: String
    public var lastContact: String
    /// The method the letter records when sent ("physician letter", "contact letter").
    public var method: String

    public init(patientId: Int, patientIdNumber: String, patientName: String, toPhysician: Bool, addressee: String, address: String,
                sites: String, lastContact: String, method: String) {
        self.patientId = patientId
        self.patientIdNumber = patientIdNumber
        self.patientName = patientName
        self.toPhysician = toPhysician
        self.addressee = addressee
        self.address = address
        self.sites = sites
        self.lastContact = lastContact
        self.method = method
    }
}

/// A batch of follow-up letters, printable (`reports/followup-letters.html.mustache`, one letter per page) and as a
/// mail-merge CSV.
public enum FollowUpLetters {
    public static func html(_ letters: [FollowUpLetter], registryName: String, date: String) -> String {
        let values: [String: Any] = [
            "title": "Follow-up letters \(date)",
            "letters": letters.map { l -> [String: Any] in
                ["registryName": registryName.isEmpty ? "Tumor Registry" : registryName, "date": date, "addressee": l.addressee,
                 "address": l.address, "toPhysician": l.toPhysician, "salutation": l.patientName.split(separator: ",").first.map(String.init) ?? l.patientName,
                 "patientName": l.patientName, "patientIdNumber": l.patientIdNumber, "sites": l.sites, "lastContact": l.lastContact,
                 "reference": "\(l.patientIdNumber)-\(date)"]
            },
        ]
        return ReportTemplates.library.render(values, withTemplate: "followup-letters.html") ?? ""
    }

    /// The mail-merge file: one row per letter (RFC 4180 CSV).
    public static func csv(_ letters: [FollowUpLetter], date: String) -> String {
        ReportTable(title: "Follow-up letters", columns: ["patientIdNumber", "patientName", "letterTo", "addressee", "address", "sites",
                                                         "lastContact", "method", "letterDate"],
                    rows: letters.map { [$0.patientIdNumber, $0.patientName, $0.toPhysician ? "physician" : "patient", $0.addressee,
                                         $0.address.replacingOccurrences(of: "\n", with: ", "), $0.sites, $0.lastContact, $0.method, date] }).csv
    }
}
