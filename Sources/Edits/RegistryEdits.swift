import Coding
import Foundation
import NAACCR

/// A registry's own edits and edit sets, read from text files without recompiling (`registry edits list|check|run
/// --edits FILE|DIR`, `registry serve --edits DIR`). The format (`schema/edits/README.md`, examples in
/// `schema/edits/examples/`):
///
///     # a comment
///     table ks-counties 001-209,999
///     level critical blocks "must be corrected before the case leaves the registry"
///
///     edit KS01 "Addr at DX--County, Kansas residents (KS)"
///       severity error
///       when addrAtDxState = KS and year >= 2020
///       check countyAtDx in table ks-counties
///       message "a Kansas resident's county at diagnosis must be a Kansas county"
///
///     set ks-submission "Kansas submission: the state set and Kansas' own edits"
///       include state-submission
///       add KS01 error
///
/// An edit fails when its `when` holds (or it has none) and its `check` does not. Conditions: `ITEM is blank`,
/// `ITEM is present`, `ITEM in CODES` (`1,2,5-7`), `ITEM not in CODES`, `ITEM in table NAME`, `ITEM in codelist`
/// (the item's NAACCR code list), `ITEM between LOW and HIGH`, `ITEM = VALUE`, `ITEM != VALUE`, and `<`, `<=`,
/// `>`, `>=` between an item and a value or another item (dates compared as dates, at the precision both know;
/// numbers as numbers); `year` is the year of diagnosis; combine with `and`, `or`, `not` and parentheses. Every
/// registry edit joins the built-in sets with its own severity; `set` defines further sets. Severities are error,
/// warning, or a level the files define (`level NAME blocks|informs "DESCRIPTION"`: blocking like an error, or
/// informing like a warning). Errors name the file, the line and the edit.
public struct RegistryEdits: Sendable {
    public let edits: [Edit]
    public let sets: [EditSet]
    /// The registry's own severity levels, with what each means.
    public let levels: [(severity: EditSeverity, description: String)]

    public init(edits: [Edit] = [], sets: [EditSet] = [], levels: [(severity: EditSeverity, description: String)] = []) {
        self.edits = edits
        self.sets = sets
        self.levels = levels
    }

    /// Every edit: the built-in library, then the registry's.
    public var library: [Edit] { EditCatalog.all + edits }

    /// The sets: the built-in ones with the registry's edits added (each with its own severity), then the registry's.
    public var allSets: [EditSet] {
        EditSet.builtIn.map { set in
            var severities = set.severities
            for edit in edits { severities[edit.id] = defaultSeverity[edit.id] ?? .error }
            return EditSet(name: set.name, description: set.description, severities: severities)
        } + sets
    }

    public func set(named name: String) -> EditSet? { allSets.first { $0.name == name } }

    var defaultSeverity: [String: EditSeverity] = [:]

    /// Reads a file, or every `*.edits` file of a directory (in name order).
    public static func load(path: String) throws -> RegistryEdits {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RegistryEditsError(file: path, line: 0, edit: nil, message: "no such file or directory")
        }
        let files = isDirectory.boolValue
            ? try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".edits") }.sorted().map { (path as NSString).appendingPathComponent($0) }
            : [path]
        var parser = Parser()
        for file in files {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw RegistryEditsError(file: file, line: 0, edit: nil, message: "cannot be read as UTF-8 text")
            }
            try parser.parse(text, file: file)
        }
        return try parser.finish()
    }

    /// Parses the text of one file (for tests and for edits kept elsewhere).
    public static func parse(_ text: String, file: String = "edits") throws -> RegistryEdits {
        var parser = Parser()
        try parser.parse(text, file: file)
        return try parser.finish()
    }
}

/// What is wrong with a registry edit file: file, line and edit.
public struct RegistryEditsError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let edit: String?
    public let message: String
    public var description: String { "\(file):\(line)\(edit.map { ": edit \($0)" } ?? ""): \(message)" }
}

// MARK: - Parsing

extension RegistryEdits {
    struct Draft {
        var id: String, name: String, file: String, line: Int
        var severity: EditSeverity = .error
        var when: Condition?, check: Condition?
        var message: String?
        var note = ""
    }

    struct SetDraft {
        var name: String, description: String, file: String, line: Int
        var severities: [String: EditSeverity] = [:]
    }

    struct Parser {
        var tables: [String: Set<String>] = [:]
        var levels: [(severity: EditSeverity, description: String)] = []

        /// error, warning, or a level defined above.
        func severity(_ word: String) -> EditSeverity? {
            EditSeverity(rawValue: word) ?? levels.first { $0.severity.name == word }?.severity
        }
        var severityChoices: String { (["error", "warning"] + levels.map(\.severity.name)).joined(separator: ", ") }

        var drafts: [Draft] = []
        var setDrafts: [SetDraft] = []
        enum Block { case none, edit, set }
        var block = Block.none

        mutating func parse(_ text: String, file: String) throws {
            block = .none
            for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let lineNumber = offset + 1
                let line = Self.stripComment(String(raw)).trimmingCharacters(in: .whitespaces)
                if line.isEmpty { continue }
                let indented = raw.first == " " || raw.first == "\t"
                func fail(_ message: String) -> RegistryEditsError {
                    let edit = block == .edit ? drafts.last?.id : nil
                    return RegistryEditsError(file: file, line: lineNumber, edit: edit, message: message)
                }
                var tokens = Tokens(line)
                let keyword = tokens.word() ?? ""
                if !indented {
                    switch keyword {
                    case "table":
                        guard let name = tokens.word(), let list = tokens.rest(), !list.isEmpty else { throw fail("write: table NAME CODES") }
                        tables[name] = codes(list.replacingOccurrences(of: " ", with: ""))
                        block = .none
                    case "level":
                        guard let name = tokens.word(), name.range(of: #"^[a-z][a-z0-9_-]{0,19}$"#, options: .regularExpression) != nil,
                              let effect = tokens.word(), effect == "blocks" || effect == "informs" else {
                            throw fail("write: level NAME blocks|informs \"DESCRIPTION\" (a name of a-z, 0-9, - and _, at most 20)")
                        }
                        guard !["error", "warning", "off"].contains(name), !levels.contains(where: { $0.severity.name == name }) else {
                            throw fail("level \(name) is already a severity")
                        }
                        levels.append((EditSeverity(name: name, blocks: effect == "blocks"), tokens.quoted() ?? ""))
                        block = .none
                    case "edit":
                        guard let id = tokens.word(), id.range(of: #"^[A-Za-z][A-Za-z0-9_-]{0,15}$"#, options: .regularExpression) != nil else {
                            throw fail("write: edit ID \"NAME\" (an id of letters, digits, - and _, at most 16)")
                        }
                        guard EditCatalog.byId[id] == nil, !drafts.contains(where: { $0.id == id }) else { throw fail("edit id \(id) is already used") }
                        guard let name = tokens.quoted() else { throw fail("edit \(id) needs a name in quotes") }
                        drafts.append(Draft(id: id, name: name, file: file, line: lineNumber))
                        block = .edit
                    case "set":
                        guard let name = tokens.word() else { throw fail("write: set NAME \"DESCRIPTION\"") }
                        guard EditSet.named(name) == nil, !setDrafts.contains(where: { $0.name == name }) else { throw fail("set \(name) is already defined") }
                        setDrafts.append(SetDraft(name: name, description: tokens.quoted() ?? name, file: file, line: lineNumber))
                        block = .set
                    default:
                        throw fail("expected table, level, edit or set, found \(keyword.prefix(40))")
                    }
                    continue
                }
                switch (block, keyword) {
                case (.edit, "severity"):
                    guard let word = tokens.word(), let severity = severity(word) else { throw fail("severity is one of \(severityChoices)") }
                    drafts[drafts.count - 1].severity = severity
                case (.edit, "when"), (.edit, "check"):
                    var expression = ConditionParser(tokens: tokens, tables: tables)
                    let condition: Condition
                    do { condition = try expression.parse() } catch let error as ConditionParser.Failure { throw fail(error.message) }
                    if keyword == "when" { drafts[drafts.count - 1].when = condition } else { drafts[drafts.count - 1].check = condition }
                case (.edit, "message"):
                    guard let message = tokens.quoted() else { throw fail("message needs its text in quotes") }
                    drafts[drafts.count - 1].message = message
                case (.edit, "note"):
                    drafts[drafts.count - 1].note = tokens.quoted() ?? ""
                case (.set, "include"):
                    guard let name = tokens.word(), let base = EditSet.named(name) ?? setDrafts.dropLast().first(where: { $0.name == name }).map({
                        EditSet(name: $0.name, description: $0.description, severities: $0.severities) }) else {
                        throw fail("include names a set: \(EditSet.builtIn.map(\.name).joined(separator: ", ")) or one defined above")
                    }
                    setDrafts[setDrafts.count - 1].severities.merge(base.severities) { _, new in new }
                case (.set, "add"):
                    guard let id = tokens.word() else { throw fail("write: add EDIT-ID [SEVERITY]") }
                    let severity: EditSeverity
                    if let word = tokens.word() {
                        guard let s = self.severity(word) else { throw fail("severity is one of \(severityChoices)") }
                        severity = s
                    } else { severity = drafts.first { $0.id == id }?.severity ?? .error }
                    guard EditCatalog.byId[id] != nil || drafts.contains(where: { $0.id == id }) else { throw fail("no edit \(id) (define it before the set)") }
                    setDrafts[setDrafts.count - 1].severities[id] = severity
                case (.set, "remove"):
                    guard let id = tokens.word() else { throw fail("write: remove EDIT-ID") }
                    setDrafts[setDrafts.count - 1].severities[id] = nil
                default:
                    throw fail("\(keyword.prefix(40)) does not belong here (an edit has severity, when, check, message, note; a set include, add, remove)")
                }
            }
        }

        func finish() throws -> RegistryEdits {
            var edits: [Edit] = []
            var severities: [String: EditSeverity] = [:]
            for draft in drafts {
                guard let check = draft.check else {
                    throw RegistryEditsError(file: draft.file, line: draft.line, edit: draft.id, message: "an edit needs a check")
                }
                let items = (check.items + (draft.when?.items ?? [])).reduce(into: [Item]()) { if !$0.contains($1) { $0.append($1) } }
                let when = draft.when
                let message = draft.message ?? "\(draft.name) fails"
                edits.append(Edit(id: draft.id, name: draft.name, kind: .interField, items: items.isEmpty ? [.diagnosisDate] : items,
                                  runsWhenBlank: true, note: draft.note.isEmpty ? "registry edit from \(draft.file)" : draft.note) { r in
                    if let when, when.evaluate(r) != true { return .skip }
                    switch check.evaluate(r) {
                    case true?: return .pass
                    case false?: return .fail(message)
                    case nil: return .skip
                    }
                })
                severities[draft.id] = draft.severity
            }
            var result = RegistryEdits(edits: edits, sets: setDrafts.map { EditSet(name: $0.name, description: $0.description, severities: $0.severities) },
                                       levels: levels)
            result.defaultSeverity = severities
            return result
        }

        static func stripComment(_ line: String) -> String {
            var inQuotes = false
            for (i, c) in line.enumerated() {
                if c == "\"" { inQuotes.toggle() }
                if c == "#" && !inQuotes { return String(line.prefix(i)) }
            }
            return line
        }
    }

    /// Words and quoted strings of one line.
    struct Tokens {
        var chars: [Character]
        var index = 0
        init(_ line: String) { chars = Array(line) }

        mutating func skipSpaces() { while index < chars.count, chars[index] == " " || chars[index] == "\t" { index += 1 } }

        mutating func word() -> String? {
            skipSpaces()
            guard index < chars.count, chars[index] != "\"" else { return nil }
            let start = index
            if "()".contains(chars[index]) { index += 1; return String(chars[start]) }
            if "<>=!".contains(chars[index]) {
                while index < chars.count, "<>=!".contains(chars[index]) { index += 1 }
                return String(chars[start..<index])
            }
            while index < chars.count, !" \t()<>=!".contains(chars[index]) { index += 1 }
            return String(chars[start..<index])
        }

        mutating func quoted() -> String? {
            skipSpaces()
            guard index < chars.count, chars[index] == "\"" else { return nil }
            index += 1
            let start = index
            while index < chars.count, chars[index] != "\"" { index += 1 }
            let text = String(chars[start..<min(index, chars.count)])
            index += 1
            return text
        }

        mutating func rest() -> String? {
            skipSpaces()
            return index < chars.count ? String(chars[index...]).trimmingCharacters(in: .whitespaces) : nil
        }

        mutating func peek() -> String? {
            let saved = index
            defer { index = saved }
            return word()
        }

        var atEnd: Bool { var copy = self; copy.skipSpaces(); return copy.index >= copy.chars.count }
    }
}

// MARK: - Conditions

/// A condition over one tumor and its patient; nil when it cannot be decided (a date whose precision does not tell).
indirect enum Condition: Sendable {
    case blank(Item), present(Item)
    case member(Item, Set<String>)
    case codeList(Item, NaaccrCodeList)
    case between(Item, String, String)
    case compare(Operand, String, Operand)
    case not(Condition), and(Condition, Condition), or(Condition, Condition)

    enum Operand: Sendable {
        case item(Item), value(String), year
        var item: Item? { if case .item(let item) = self { return item }; return nil }
    }

    var items: [Item] {
        switch self {
        case .blank(let i), .present(let i), .member(let i, _), .codeList(let i, _), .between(let i, _, _): return [i]
        case .compare(let a, _, let b): return [a.item, b.item].compactMap { $0 } + (isYear(a) || isYear(b) ? [.diagnosisDate] : [])
        case .not(let c): return c.items
        case .and(let a, let b), .or(let a, let b): return a.items + b.items
        }
    }

    private func isYear(_ o: Operand) -> Bool { if case .year = o { return true }; return false }

    func evaluate(_ r: EditRecord) -> Bool? {
        switch self {
        case .blank(let i): return r[i] == nil
        case .present(let i): return r[i] != nil
        case .member(let i, let set): return r[i].map(set.contains) ?? false
        case .codeList(let i, let list): return r[i].map(list.contains) ?? false
        case .between(let i, let low, let high):
            guard let v = r[i] else { return false }
            if let n = Double(v), let l = Double(low), let h = Double(high) { return l <= n && n <= h }
            return low <= v && v <= high
        case .compare(let a, let op, let b):
            guard let left = value(a, r), let right = value(b, r) else { return op == "!=" ? value(a, r) != value(b, r) : false }
            let order: Int?
            // Dates (CCYYMM or CCYYMMDD on one side at least) as dates, at the precision both have; numbers (years
            // included) as numbers; the rest as text.
            if max(left.count, right.count) >= 6, let da = EditDate(left), let db = EditDate(right) {
                order = EditDate.compare(da, db)
            } else if let na = Double(left), let nb = Double(right) {
                order = na == nb ? 0 : na < nb ? -1 : 1
            } else {
                order = left == right ? 0 : left < right ? -1 : 1
            }
            guard let order else { return nil }
            switch op {
            case "=", "==": return order == 0
            case "!=": return order != 0
            case "<": return order < 0
            case "<=": return order <= 0
            case ">": return order > 0
            default: return order >= 0
            }
        case .not(let c): return c.evaluate(r).map { !$0 }
        case .and(let a, let b):
            let x = a.evaluate(r), y = b.evaluate(r)
            if x == false || y == false { return false }
            return x == true && y == true ? true : nil
        case .or(let a, let b):
            let x = a.evaluate(r), y = b.evaluate(r)
            if x == true || y == true { return true }
            return x == false && y == false ? false : nil
        }
    }

    private func value(_ o: Operand, _ r: EditRecord) -> String? {
        switch o {
        case .item(let i): return r[i]
        case .value(let v): return v
        case .year: return r.diagnosisYear.map(String.init)
        }
    }
}

/// Parses `when` and `check` expressions: or > and > not > condition, with parentheses.
struct ConditionParser {
    struct Failure: Error { let message: String }
    var tokens: RegistryEdits.Tokens
    let tables: [String: Set<String>]

    init(tokens: RegistryEdits.Tokens, tables: [String: Set<String>]) {
        self.tokens = tokens
        self.tables = tables
    }

    mutating func parse() throws -> Condition {
        let condition = try or()
        guard tokens.atEnd else { throw Failure(message: "unexpected \(tokens.peek() ?? "text") after the condition") }
        return condition
    }

    mutating func or() throws -> Condition {
        var left = try and()
        while tokens.peek() == "or" { _ = tokens.word(); left = .or(left, try and()) }
        return left
    }

    mutating func and() throws -> Condition {
        var left = try not()
        while tokens.peek() == "and" { _ = tokens.word(); left = .and(left, try not()) }
        return left
    }

    mutating func not() throws -> Condition {
        if tokens.peek() == "not" { _ = tokens.word(); return .not(try not()) }
        if tokens.peek() == "(" {
            _ = tokens.word()
            let inner = try or()
            guard tokens.word() == ")" else { throw Failure(message: "a ( is not closed") }
            return inner
        }
        return try condition()
    }

    func item(_ name: String) throws -> Item {
        guard Item.slotById[name] != nil else {
            throw Failure(message: "\(name.prefix(40)) is not a NAACCR v26 item (write its naaccrId, e.g. primarySite)")
        }
        return Item(name)
    }

    mutating func operand(_ word: String) throws -> Condition.Operand {
        if word == "year" { return .year }
        if Item.slotById[word] != nil { return .item(Item(word)) }
        return .value(word)
    }

    mutating func condition() throws -> Condition {
        guard let first = tokens.word() else { throw Failure(message: "a condition is missing") }
        guard let op = tokens.word() else { throw Failure(message: "\(first.prefix(40)) needs a test (is blank, in, =, <, between, …)") }
        switch op {
        case "is":
            let what = tokens.word()
            if what == "blank" { return .blank(try item(first)) }
            if what == "present" { return .present(try item(first)) }
            throw Failure(message: "write: \(first) is blank, or \(first) is present")
        case "in", "not":
            if op == "not" { guard tokens.word() == "in" else { throw Failure(message: "write: \(first) not in CODES") } }
            let subject = try item(first)
            let condition: Condition
            if tokens.peek() == "table" {
                _ = tokens.word()
                guard let name = tokens.word(), let table = tables[name] else { throw Failure(message: "no table by that name (define it with: table NAME CODES, above)") }
                condition = .member(subject, table)
            } else if tokens.peek() == "codelist" {
                _ = tokens.word()
                guard let list = NaaccrCodeLists.list(first) else { throw Failure(message: "\(first) has no NAACCR code list") }
                condition = .codeList(subject, list)
            } else {
                guard let list = tokens.word(), !list.isEmpty else { throw Failure(message: "write the codes: \(first) in 1,2,5-7") }
                condition = .member(subject, codes(list))
            }
            return op == "not" ? .not(condition) : condition
        case "between":
            guard let low = tokens.word(), tokens.word() == "and", let high = tokens.word() else { throw Failure(message: "write: \(first) between LOW and HIGH") }
            return .between(try item(first), low, high)
        case "=", "==", "!=", "<", "<=", ">", ">=":
            guard let second = tokens.word() else { throw Failure(message: "\(op) needs a value or an item") }
            let left = try operand(first)
            if case .value = left { throw Failure(message: "\(first.prefix(40)) is not a NAACCR v26 item or year") }
            return .compare(left, op, try operand(second))
        default:
            throw Failure(message: "\(op.prefix(40)) is not a test (is blank, is present, in, not in, between, =, !=, <, <=, >, >=)")
        }
    }
}
