import Postgres
import RegistryStore
import Testing
import TestSupport

@Suite("Patient search")
struct PatientSearchTests {
    func registry(_ url: String) throws -> (PostgresConnection, AbstractRepository) {
        let db = try PostgresConnection(url)
        try Migrator().migrate(db)
        let repository = AbstractRepository(connection: db)
        for (id, last, first) in [("1", "Smith", "John"), ("2", "Smith", "Jane"), ("3", "Smithers", "Ann"), ("4", "Jones", "Smitty"),
                                  ("5", "O_Neil", "Pat"), ("6", "Oxneil", "Sam"), ("7", "Ñúñez", "Ángela"), ("8", "ÉLOÏSE", "ZOÉ")] {
            _ = try repository.createPatient(items: ["patientIdNumber": id, "nameLast": last, "nameFirst": first], registryId: "",
                                             userId: nil)
        }
        return (db, repository)
    }

    func names(_ repository: AbstractRepository, _ query: String) throws -> [String] {
        try repository.search(PatientSearch(name: query), limit: 50, offset: 0).rows.map { "\($0.nameLast ?? ""), \($0.nameFirst ?? "")" }
    }

    @Test func aNameIsALastNamePrefixOrLastCommaFirst() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let (_, repository) = try registry(url)
            #expect(try names(repository, "smi") == ["Smith, Jane", "Smith, John", "Smithers, Ann"])
            #expect(try names(repository, "SMITH, jo") == ["Smith, John"])
            #expect(try names(repository, ", ja") == ["Smith, Jane"])
            #expect(try names(repository, "o_") == ["O_Neil, Pat"])  // the underscore is a character, not a wildcard
            #expect(try names(repository, "%") == [])
            // Accented capitals on a cluster without a locale: typed in any case.
            #expect(try names(repository, "ñúñez") == ["Ñúñez, Ángela"])
            #expect(try names(repository, "ÑÚÑEZ, ángela") == ["Ñúñez, Ángela"])
            #expect(try names(repository, "éloïse, zoé") == ["ÉLOÏSE, ZOÉ"])
            #expect(try names(repository, "Éloïse") == ["ÉLOÏSE, ZOÉ"])
        }
    }

    @Test func nameSearchesUseTheNameIndex() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let (db, _) = try registry(url)
            try db.execute("SET enable_seqscan = off")  // a six-row table would be scanned whatever indexes exist
            let plan = try db.query("""
                EXPLAIN SELECT id FROM patient p WHERE lower(p.name_last) LIKE $1 AND lower(p.name_first) LIKE $2
                """, ["smith%", "jo%"]).map { try $0.decode(String.self, at: 0) }.joined(separator: "\n")
            #expect(plan.contains("patient_by_name_and_birth"), "\(plan)")
        }
    }
}
