import NAACCR
import RegistryStore
import Testing

@Suite("Stored items JSON")
struct StoredItemsTests {
    @Test func itemsAreKeyedByNumberInNumberOrderAndReadBackById() throws {
        let items = ["primarySite": "C509", "patientIdNumber": "00000042", "nameLast": "O\"Neil \\ Tab\there", "nameFirst": ""]
        let json = StoredItems.json(items)
        #expect(json == #"{"20":"00000042","400":"C509","2230":"O\"Neil \\ Tab\u0009here"}"#)
        #expect(try StoredItems.items(json) == items.filter { !$0.value.isEmpty })
    }

    @Test func keysTheDictionaryDoesNotKnowAreKeptBothWays() throws {
        let items = ["myRegistryItem": "Y", "9999": "user item by number", "primarySite": "C619"]
        let json = StoredItems.json(items)
        #expect(json == #"{"400":"C619","9999":"user item by number","myRegistryItem":"Y"}"#)
        #expect(try StoredItems.items(json) == items)
    }

    @Test func aUserDictionaryNamesItsOwnNumbers() throws {
        let user = try NaaccrDictionary(uri: "http://example.org/user.xml", naaccrVersion: "260", items: [
            NaaccrItem(naaccrId: "localFollowUpSource", naaccrNum: 9_501, name: "Local follow-up source", length: 2,
                       dataType: .digits, level: .patient, recordTypes: NaaccrRecordTypes(letters: "A,M,C,I"),
                       padding: .none, allowUnlimitedText: false),
        ])
        let merged = try NaaccrDictionary.v26.merging([user])
        let json = StoredItems.json(["localFollowUpSource": "03"], dictionary: merged)
        #expect(json == #"{"9501":"03"}"#)
        #expect(try StoredItems.items(json, dictionary: merged) == ["localFollowUpSource": "03"])
        #expect(try StoredItems.items(json) == ["9501": "03"])  // without the user dictionary the number is kept
    }
}
