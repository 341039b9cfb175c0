import NAACCR
import Testing

@Suite("Value validation against the dictionary")
struct ValueValidatorTests {
    func kind(_ value: String, _ id: String) -> NaaccrIssue.Kind? {
        NaaccrValueValidator.check(value, for: NaaccrDictionary.v26.item(id)!)?.kind
    }

    @Test func fullAndPartialDates() {
        #expect(kind("20230215", "dateOfDiagnosis") == nil)
        #expect(kind("2023", "dateOfDiagnosis") == nil, "CCYY")
        #expect(kind("202302", "dateOfDiagnosis") == nil, "CCYYMM")
        #expect(kind("20240229", "dateOfDiagnosis") == nil, "leap day")
        #expect(kind("20230229", "dateOfDiagnosis") == .impossibleDate)
        #expect(kind("20230231", "dateOfDiagnosis") == .impossibleDate)
        #expect(kind("202313", "dateOfDiagnosis") == .impossibleDate)
        #expect(kind("20230100", "dateOfDiagnosis") == .impossibleDate)
        #expect(kind("17990101", "dateOfDiagnosis") == .impossibleDate)
        #expect(kind("2023021", "dateOfDiagnosis") == .invalidCharacters, "7 digits")
        #expect(kind("2023-02-15", "dateOfDiagnosis") == .valueTooLong)
        #expect(kind("2023 215", "dateOfDiagnosis") == .invalidCharacters)
    }

    @Test func digitsAlphaMixedNeedExactLength() {
        #expect(kind("8500", "histologicTypeIcdO3") == nil)
        #expect(kind("850", "histologicTypeIcdO3") == .valueTooShort)
        #expect(kind("85000", "histologicTypeIcdO3") == .valueTooLong)
        #expect(kind("85A0", "histologicTypeIcdO3") == .invalidCharacters)
        #expect(kind("KS", "birthplaceState") == nil)
        #expect(kind("ks", "birthplaceState") == .invalidCharacters)
        #expect(kind("A1B2", "rxSummSurgPrimSite2023") == nil)
        #expect(kind("a1b2", "rxSummSurgPrimSite2023") == .invalidCharacters)
    }

    @Test func textAcceptsAnythingUpToItsLength() {
        #expect(kind("C504", "primarySite") == nil)
        #expect(kind("C5040", "primarySite") == .valueTooLong)
        #expect(kind("Zoë", "nameLast") == nil, "length counts characters, not bytes")
    }

    @Test func numericAndDateTime() throws {
        let numeric = try #require(NaaccrDictionary.v26.allItems.first { $0.dataType == .numeric })
        #expect(NaaccrValueValidator.check("12.5", for: numeric) == nil || numeric.length < 4)
        #expect(NaaccrValueValidator.check("1.", for: numeric)?.kind == .invalidCharacters)
        #expect(NaaccrValueValidator.check("-1", for: numeric)?.kind == .invalidCharacters)
        #expect(kind("2024-03-05T14:30:00-05:00", "pathDateSpecCollect1") == nil)
        #expect(kind("2024-03-05", "pathDateSpecCollect1") == nil)
        #expect(kind("2024-03-05T14:30Z", "pathDateSpecCollect1") == nil)
        #expect(kind("03/05/2024", "pathDateSpecCollect1") == .invalidCharacters)
    }
}
