import ArgumentParser
import NAACCR

/// How every command that reads NAACCR data files reads them (XML of v14-v26 or flat files of v12-v18).
struct ReadOptions: ParsableArguments {
    @Option(name: .customLong("user-dictionary"), help: "A user dictionary (NAACCR dictionary XML) with registry-specific items.")
    var userDictionaries: [String] = []
    @Option(help: ArgumentHelp("A base dictionary (NAACCR dictionary XML) for files whose version is not built in (v12-v26 are).",
                               valueName: "file.xml"))
    var dictionary: String?
    @Flag(help: "Read XML files that lack the NAACCR namespace (xmlns=\"http://naaccr.org/naaccrxml\") or whose own root attributes have no namespace prefix.")
    var relaxedNamespace = false

    func options() throws -> NaaccrReadOptions {
        NaaccrReadOptions(dictionary: try dictionary.map { try NaaccrDictionary.load(path: $0) },
                          userDictionaries: try userDictionaries.map { try NaaccrDictionary.load(path: $0) },
                          relaxedNamespace: relaxedNamespace)
    }
}
