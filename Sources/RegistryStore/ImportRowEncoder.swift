import NAACCR
import Postgres

/// Turns NAACCR records into the binary COPY fields of `patient`, `tumor` and the import staging table.
struct ImportRowEncoder {
    let patientIdNumber: NaaccrItemKey
    private let patientKeys: [NaaccrItemKey?]
    private let tumorKeys: [NaaccrItemKey?]
    private let tumorRecordNumber, sequenceCentral, sequenceHospital, dateOfDiagnosis: NaaccrItemKey?
    /// `"naaccrNum":"` per level and index, the start of each item in the stored items JSON (see `StoredItems`).
    private let jsonKeys: [[[UInt8]]]

    /// The typed patient columns after `registry_id, patient_id_number`, in `TypedColumns` order.
    static let patientColumns = TypedColumns.patientColumnList
    /// The typed tumor columns after `tumor_key`, in `TypedColumns` order, then `diagnosis_year`.
    static let tumorColumns = TypedColumns.tumorColumnList
    static let patientColumnCount = TypedColumns.patientFields.count
    static let tumorColumnCount = TypedColumns.tumorFields.count + 1

    init(dictionary d: NaaccrDictionary) {
        patientIdNumber = d.key("patientIdNumber")!
        patientKeys = TypedColumns.patientFields.map { d.key($0.item) }
        tumorKeys = TypedColumns.tumorFields.map { d.key($0.item) }
        tumorRecordNumber = d.key("tumorRecordNumber")
        sequenceCentral = d.key("sequenceNumberCentral")
        sequenceHospital = d.key("sequenceNumberHospital")
        dateOfDiagnosis = d.key("dateOfDiagnosis")
        jsonKeys = NaaccrLevel.allCases.map { level in d.items[level]!.map { Array("\"\($0.naaccrNum)\":\"".utf8) } }
    }

    /// The tumor's identity within its patient: `tumorRecordNumber`, else `sequenceNumberCentral`, else
    /// `sequenceNumberHospital`, else its position ("#1", "#2", …).
    func tumorKey(_ t: NaaccrTumor, position: Int) -> String {
        for key in [tumorRecordNumber, sequenceCentral, sequenceHospital] {
            if let key, let value = t[key], !value.isEmpty { return value }
        }
        return "#\(position + 1)"
    }

    func appendPatientColumns(_ p: NaaccrPatient, to writer: inout BinaryCopyInWriter) {
        for key in patientKeys { writer.appendText(key.flatMap { p[$0] }) }
    }

    /// The typed tumor columns, then the diagnosis year (NULL unless the date starts with four digits).
    func appendTumorColumns(_ t: NaaccrTumor, to writer: inout BinaryCopyInWriter) {
        for key in tumorKeys { writer.appendText(key.flatMap { t[$0] }) }
        writer.appendInt16(TypedColumns.diagnosisYear(dateOfDiagnosis.flatMap { t[$0] }).map { Int16($0) })
    }

    /// Appends `values` as the flat JSON object `{"naaccrNum":"value",…}` (items in number order).
    func appendItems(_ values: NaaccrValues, _ level: NaaccrLevel, to writer: inout BinaryCopyInWriter) {
        let keys = jsonKeys[level.ordinal]
        writer.appendText { out in
            out.append(UInt8(ascii: "{"))
            for (i, entry) in values.entries.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: keys[entry.index])
                var value = entry.value
                value.withUTF8 { StoredItems.appendJSONStringContent($0, to: &out) }
                out.append(UInt8(ascii: "\""))
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
