@_exported import CivilCalendar

extension CalendarDate: PostgresEncodable {
    public static var postgresTypeOID: UInt32 { PostgresOID.date }
    public var postgresParameter: PostgresParameter { .text(description) }
}
