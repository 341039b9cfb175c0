import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Postgres
import RegistryService
import RegistryStore
import SyntheticRegistry
import Edits

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the registrar service: the JSON API under /api/ and health checks at /health and /ready.",
        discussion: """
            Binds to 127.0.0.1 unless --host says otherwise; in production run it behind a TLS reverse proxy and pass \
            --secure-cookies (README: Deployment). Stops gracefully on SIGINT/SIGTERM, finishing requests in flight. \
            Settings also come from REGISTRY_HOST, REGISTRY_PORT and REGISTRY_SECURE_COOKIES=1.
            """)

    @Option(help: "Address to listen on.") var host = ProcessInfo.processInfo.environment["REGISTRY_HOST"] ?? "127.0.0.1"
    @Option(help: "Port to listen on.") var port = Int(ProcessInfo.processInfo.environment["REGISTRY_PORT"] ?? "") ?? 8080
    @Flag(help: "Mark the session cookie Secure (needed behind HTTPS).") var secureCookies = ProcessInfo.processInfo.environment["REGISTRY_SECURE_COOKIES"] == "1"
    @Flag(help: "Start on the demo registry: load it when the database is empty and print a demo login.") var demo = false
    @Option(help: "Database connections in the pool.") var connections = 8
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        // The set-up connection (migrations, demo data) is closed when this scope ends; the service uses the pool.
        let connectionString = try database.connectWithString().connectionString
        let pool = try PostgresPool(connectionString: connectionString, maxConnections: connections)
        let accounts = Accounts(pool: pool)
        if demo { try await prepareDemo(db: try PostgresConnection(connectionString), accounts: accounts) }
        var logger = Logger(label: "registry")
        logger.logLevel = .info
        let routes = RegistryRoutes(pool: pool, accounts: accounts, sessions: Sessions(pool: pool), secureCookies: secureCookies)
        printErr("registry service on http://\(host):\(port) (API under /api/, health at /health and /ready)")
        try await routes.application(host: host, port: port, logger: logger).runService()
        pool.close()
    }

    /// Loads the demo registry into an empty database and (re)creates the demo registrar with a fresh password.
    func prepareDemo(db: PostgresConnection, accounts: Accounts) async throws {
        if try db.query("SELECT count(*) FROM patient")[0].decode(Int.self, at: 0) == 0 {
            let generator = SyntheticRegistryGenerator(patientCount: 2_000, seed: 2026)
            var iterator = generator.makeIterator()
            let summary = try NaaccrImporter(connection: db).importPatients(
                header: generator.header(), dictionary: generator.dictionary, source: "registry serve --demo", actor: "demo",
                next: { iterator.next() })
            printErr("loaded the demo registry: \(summary.patientsRead) synthetic patients")
            let edits = try RunOverStore.runEdits(db: db, set: .incomingAbstract, progress: false)
            printErr("ran the incoming-abstract edits: \(edits.checked) tumors, \(edits.failing) with errors")
        }
        let password = (0..<4).map { _ in String(format: "%04d", Int.random(in: 0..<10_000)) }.joined(separator: "-")
        do {
            _ = try await accounts.create(username: "demo", displayName: "Demo Registrar", role: .registrar, password: password)
        } catch AccountError.duplicateUser {
            try await accounts.setPassword(username: "demo", password: password)
            try await accounts.setDisabled(username: "demo", false)
        }
        // Written straight to the descriptor: stdout is block-buffered when not a terminal and the server runs on.
        FileHandle.standardOutput.write(Data("demo login: user 'demo', password '\(password)' (synthetic data only)\n".utf8))
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage registry users.",
                                                    subcommands: [AddUser.self, SetPassword.self, DisableUser.self])

    /// Reads a password from REGISTRY_PASSWORD or standard input (never from the command line, where `ps` shows it).
    static func readPassword() throws -> String {
        if let password = ProcessInfo.processInfo.environment["REGISTRY_PASSWORD"], !password.isEmpty { return password }
        FileHandle.standardError.write(Data("password (at least 12 characters): ".utf8))
        guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw ValidationError("no password given") }
        return line
    }

    static func accounts(_ database: DatabaseOptions) throws -> (Accounts, PostgresPool) {
        let connectionString = try database.connectWithString().connectionString
        let pool = try PostgresPool(connectionString: connectionString, maxConnections: 1)
        return (Accounts(pool: pool), pool)
    }
}

struct AddUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a user (password from REGISTRY_PASSWORD or standard input).")
    @Argument var username: String
    @Option(help: "admin, registrar, reviewer or submitter.") var role: String
    @Option(help: "Full name shown in the workbench.") var name = ""
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let role = Role(rawValue: role) else { throw ValidationError("--role must be admin, registrar, reviewer or submitter") }
        let (accounts, pool) = try UserCommand.accounts(database)
        defer { pool.close() }
        let user = try await accounts.create(username: username, displayName: name, role: role, password: try UserCommand.readPassword())
        print("added \(user.username) (\(user.role.rawValue))")
    }
}

struct SetPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "passwd", abstract: "Set a user's password (ends their sessions).")
    @Argument var username: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let (accounts, pool) = try UserCommand.accounts(database)
        defer { pool.close() }
        try await accounts.setPassword(username: username, password: try UserCommand.readPassword())
        print("password changed for \(username); their sessions were ended")
    }
}

struct DisableUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disable", abstract: "Disable a user (or --enable again).")
    @Argument var username: String
    @Flag(help: "Enable instead.") var enable = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let (accounts, pool) = try UserCommand.accounts(database)
        defer { pool.close() }
        try await accounts.setDisabled(username: username, !enable)
        print("\(username) \(enable ? "enabled" : "disabled")")
    }
}
