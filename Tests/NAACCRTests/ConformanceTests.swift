import Foundation
import NAACCR
import Testing

/// The reference reader's validity files and the verdict each should get (`../shared/reference/naaccr/conformance/
/// MANIFEST.tsv`, from imsweb naaccr-xml), read strictly (the default) and with `relaxedNamespace`
/// (`--relaxed-namespace`).
@Suite("The reference reader's conformance files")
struct ConformanceTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/reference/naaccr/conformance").standardized

    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let expected: String
        let referenceMessage: String
        var testDescription: String { file }
    }

    static var cases: [Case] {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Case(file: f[0], expected: f[2], referenceMessage: f.count > 3 ? f[3] : "")
        }
    }

    static func read(_ file: String, relaxed: Bool) -> (issues: [NaaccrIssue], failure: (any Error)?) {
        var issues: [NaaccrIssue] = []
        do {
            let reader = try NaaccrFile.open(path: folder.appendingPathComponent(file).path, options: NaaccrReadOptions(relaxedNamespace: relaxed))
            issues += reader.header.issues
            while let patient = try reader.next() { issues += patient.issues }
            return (issues, nil)
        } catch {
            return (issues, error)
        }
    }

    @Test(.enabled(if: !cases.isEmpty), arguments: cases)
    func eachFileGetsTheReferenceVerdict(_ c: Case) throws {
        let (issues, failure) = Self.read(c.file, relaxed: false)
        let relaxed = Self.read(c.file, relaxed: true)
        switch c.expected {
        case "valid (strict and relaxed)":
            #expect(failure == nil, "\(c.file): \(String(describing: failure))")
            #expect(issues.filter { !$0.kind.isWarning }.isEmpty, "\(c.file): \(issues)")
            #expect(relaxed.failure == nil && relaxed.issues.filter { !$0.kind.isWarning }.isEmpty, "\(c.file) relaxed")
        case "invalid (strict and relaxed)":
            #expect(failure != nil, "\(c.file) was read; the reference says \(c.referenceMessage)")
            #expect(relaxed.failure != nil, "\(c.file) was read in relaxed mode; the reference says \(c.referenceMessage)")
        case "invalid in strict (default), valid in relaxed":
            #expect(failure != nil, "\(c.file) was read; the reference says \(c.referenceMessage)")
            #expect(relaxed.failure == nil && relaxed.issues.filter { !$0.kind.isWarning }.isEmpty,
                    "\(c.file) relaxed: \(String(describing: relaxed.failure)) \(relaxed.issues)")
        case "invalid (library validation error)":
            #expect(failure == nil, "\(c.file): \(String(describing: failure))")
            // "INVALID(validation): Unknown NAACCR ID line 8: ..." names the kind of problem.
            let kind = c.referenceMessage.replacingOccurrences(of: "INVALID(validation): ", with: "").components(separatedBy: " line ").first ?? ""
            #expect(issues.contains { $0.kind.rawValue == kind }, "\(c.file): expected \(kind), found \(issues)")
        default:
            Issue.record("unknown verdict \(c.expected) for \(c.file)")
        }
    }
}
