import Foundation

/// Independent computations for the tests: a Python script (SciPy, openpyxl) run on JSON input, its JSON output back.
public enum Python {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `python3 -c script` with `input` as JSON on standard input; returns what it prints, parsed as JSON.
    public static func json(_ script: String, input: Any) throws -> Any {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: input))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "python3 failed (scripts/test installs scipy and openpyxl): " + String(decoding: err, as: UTF8.self))
        }
        return try JSONSerialization.jsonObject(with: out)
    }
}
