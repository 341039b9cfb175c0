import Foundation
import NAACCR

/// Where a registry sends its abstracts, as data (`schema/submissions/destinations.json`, overridable by a registry's
/// own file): the record type, the cases the destination takes, its edit set and how many failing records it tolerates,
/// the file name, and for a research extract how it is de-identified.
public struct Destination: Sendable, Codable, Equatable {
    public let name: String
    public let description: String
    /// NAACCR record type of the file (A, M, C or I): which items it carries.
    public let recordType: String
    /// Record type of the changed records (those the destination accepted before whose content has changed since),
    /// sent in a file of their own: "M" (modified, the A layout) for a central registry that takes corrections as
    /// such; nil sends them with the new ones.
    public let changedRecordType: String?
    /// The edit set records must pass (`EditSet` name); failing records are held back.
    public let editSet: String
    /// The share of eligible tumors (percent) that may be held back by edits before the whole file is refused, as the
    /// destination would refuse it.
    public let maxHeldPercent: Double
    /// `{registry}`, `{destination}`, `{date}` (YYYYMMDD) and `{id}` (the submission id) are filled in; `.gz` compresses.
    public let fileName: String
    /// gzip level of a `.gz` file, 1 (fastest) to 9 (smallest); absent: `defaultCompressionLevel`. Levels 1-3
    /// compress with ISA-L's igzip, 4-9 with zlib. On NAACCR XML, level 2 (igzip) makes the file about 13 times smaller
    /// at about ten times the speed of zlib's 6, which makes it about 21 times smaller.
    let gzipLevel: Int?
    public var compressionLevel: Int { gzipLevel ?? Self.defaultCompressionLevel }
    public static let defaultCompressionLevel = 2
    public let cases: Cases
    /// Send every case of the newest diagnosis year, not only new and changed ones (NCDB's annual call).
    public let newestYearInFull: Bool?
    public let deidentify: Deidentification?

    /// Which tumors a destination takes.
    public struct Cases: Sendable, Codable, Equatable {
        /// Behavior codes (item 523) taken, as a code list ("2,3").
        public let behaviors: String?
        /// Benign and borderline (behavior 0, 1) tumors of the brain and central nervous system too (C700-C729,
        /// C751-C753; reportable since 2004 under Public Law 107-260).
        public let benignBrainAndCNS: Bool?
        /// Class of case codes (item 610) taken ("00,10-14,20-22"); nil: all.
        public let classOfCase: String?
        /// Diagnosis years (item 390) taken; nil: open.
        public let firstYear: Int?
        public let lastYear: Int?
    }

    /// How a research extract is de-identified (beyond the record type's items): direct identifiers are blanked, dates
    /// cut to month or year, postal codes to their first digits.
    public struct Deidentification: Sendable, Codable, Equatable {
        /// "month" (CCYYMM) or "year" (CCYY).
        public let dates: String
        public let postalCodeDigits: Int
    }

    /// The built-in destinations (`schema/submissions/destinations.json`, embedded by `scripts/gen-destinations`).
    public static let builtIn: [Destination] = {
        do { return try decode(Data(DestinationData.builtIn.utf8)) } catch {
            preconditionFailure("schema/submissions/destinations.json: \(error)")
        }
    }()

    /// The embedded copy of `destinations.json` (a test compares it with the file).
    public static var builtInText: String { DestinationData.builtIn }

    struct File: Codable { let destinations: [Destination] }

    /// Reads destinations in the `destinations.json` format; a mistake names the destination and what is wrong.
    public static func decode(_ data: Data) throws -> [Destination] {
        let destinations: [Destination]
        do { destinations = try JSONDecoder().decode(File.self, from: data).destinations } catch let error as DecodingError {
            throw DestinationError.unreadable(Self.describe(error))
        }
        for d in destinations {
            guard d.name.range(of: "^[a-z0-9_-]{1,40}$", options: .regularExpression) != nil else { throw DestinationError.invalid(d.name, "the name is 1-40 of a-z, 0-9, _ and -") }
            guard ["A", "M", "C", "I"].contains(d.recordType) else { throw DestinationError.invalid(d.name, "recordType is A, M, C or I") }
            if let changed = d.changedRecordType, !["A", "M", "C", "I"].contains(changed) || changed == d.recordType {
                throw DestinationError.invalid(d.name, "changedRecordType is A, M, C or I, other than recordType")
            }
            guard (0...100).contains(d.maxHeldPercent) else { throw DestinationError.invalid(d.name, "maxHeldPercent is 0 to 100") }
            guard !d.fileName.isEmpty, !d.fileName.contains("/") else { throw DestinationError.invalid(d.name, "fileName is a file name without folders") }
            if let level = d.gzipLevel, !(1...9).contains(level) { throw DestinationError.invalid(d.name, "gzipLevel is 1 to 9") }
            if let dates = d.deidentify?.dates, !["month", "year"].contains(dates) { throw DestinationError.invalid(d.name, "deidentify.dates is month or year") }
        }
        return destinations
    }

    /// The built-in destinations with a registry's file's replacing those of the same name and adding the others.
    public static func load(overrides path: String?) throws -> [Destination] {
        guard let path else { return builtIn }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw DestinationError.unreadable("\(path): \(error.localizedDescription)") }
        let own: [Destination]
        do { own = try decode(data) } catch let error as DestinationError { throw DestinationError.inFile(path, error) }
        return builtIn.filter { b in !own.contains { $0.name == b.name } } + own
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)) has no \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
    }
}

public enum DestinationError: Error, CustomStringConvertible, Equatable {
    case unreadable(String)
    case invalid(String, String)
    indirect case inFile(String, DestinationError)
    case unknown(String, [String])

    public var description: String {
        switch self {
        case .unreadable(let detail): return "destinations cannot be read: \(detail)"
        case let .invalid(name, detail): return "destination \(name): \(detail)"
        case let .inFile(path, error): return "\(path): \(error)"
        case let .unknown(name, known): return "no destination \(name) (known: \(known.joined(separator: ", ")))"
        }
    }
}

extension Destination.Cases {
    /// Whether a tumor is one the destination takes, from its items (behavior 523, primary site 400, class of case 610,
    /// date of diagnosis 390).
    public func takes(behavior: String?, site: String?, classOfCase: String?, diagnosisYear: Int?) -> Bool {
        guard let behavior else { return false }
        var behaviorTaken = behaviors.map { Self.codes($0).contains(behavior) } ?? true
        if !behaviorTaken, benignBrainAndCNS == true, ["0", "1"].contains(behavior), let site, Self.isBrainOrCNS(site) { behaviorTaken = true }
        guard behaviorTaken else { return false }
        if let spec = self.classOfCase {
            guard let classOfCase, Self.codes(spec).contains(classOfCase) else { return false }
        }
        if firstYear != nil || lastYear != nil {
            guard let year = diagnosisYear else { return false }
            if let firstYear, year < firstYear { return false }
            if let lastYear, year > lastYear { return false }
        }
        return true
    }

    /// Brain, meninges, spinal cord, cranial nerves and other CNS (C700-C729) and the pituitary, craniopharyngeal duct
    /// and pineal gland (C751-C753): the sites of reportable benign and borderline tumors.
    static func isBrainOrCNS(_ site: String) -> Bool {
        guard site.count == 4, site.hasPrefix("C"), let n = Int(site.dropFirst()) else { return false }
        return (700...729).contains(n) || (751...753).contains(n)
    }

    /// A code list written "2,3" or "00,10-14,20-22" (ranges keep the width of their bounds).
    static func codes(_ spec: String) -> Set<String> {
        var out = Set<String>()
        for part in spec.split(separator: ",") {
            let bounds = part.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
            if bounds.count == 2, let low = Int(bounds[0]), let high = Int(bounds[1]), low <= high {
                for v in low...high { out.insert(String(repeating: "0", count: max(0, bounds[0].count - String(v).count)) + String(v)) }
            } else {
                out.insert(part.trimmingCharacters(in: .whitespaces))
            }
        }
        return out
    }
}
