/// A file the registry reads from a user (population estimates, deaths, physicians, casefinding reports) that it
/// cannot take: the file, the line (0: the file as a whole) and what is wrong, never the values (they can be PHI).
public struct InputFileError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int
    public let message: String
    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }
}
