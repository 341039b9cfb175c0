import CLibPQ

extension PostgresConnection {
    /// Runs one statement once per parameter row in libpq pipeline mode: the statement is prepared
    /// once, rows are sent without waiting for replies, and a sync point closes every `syncEvery` rows.
    ///
    /// Outside a transaction each sync batch commits on its own; wrap the call in `transaction` for all
    /// or nothing. On the first failing row the remaining rows are not sent and the error is thrown.
    /// Returns the total affected-row count.
    @discardableResult
    public func executePipelined<Rows: Sequence>(
        _ sql: String, rows: Rows, syncEvery: Int = 1000
    ) throws -> Int where Rows.Element == PostgresBindings {
        guard PQenterPipelineMode(handle) == 1 else { throw connectionError(statement: sql) }
        defer { PQexitPipelineMode(handle) }

        var iterator = rows.makeIterator()
        var pending = iterator.next()
        guard let first = pending else { return 0 }
        let types = try BoundParameters(first, statement: sql).types
        guard PQsendPrepare(handle, "", sql, Int32(types.count), types) == 1 else {
            throw connectionError(statement: sql)
        }
        var total = 0
        while pending != nil {
            var sent = 0
            while let row = pending, sent < syncEvery {
                let parameters = try BoundParameters(row, statement: sql)
                let ok = parameters.withLibPQArrays { values, lengths, formats in
                    PQsendQueryPrepared(handle, "", Int32(parameters.count), values, lengths, formats, 0)
                }
                guard ok == 1 else {
                    _ = PQpipelineSync(handle)
                    _ = try? drainPipeline(statement: sql)
                    throw connectionError(statement: sql)
                }
                sent += 1
                pending = iterator.next()
            }
            guard PQpipelineSync(handle) == 1 else { throw connectionError(statement: sql) }
            total += try drainPipeline(statement: sql)
        }
        return total
    }

    /// Reads results up to the next sync point; returns affected rows or throws the first error.
    private func drainPipeline(statement: String) throws -> Int {
        var affected = 0
        var firstError: PostgresError?
        var consecutiveNils = 0
        while true {
            guard let result = PQgetResult(handle) else {
                consecutiveNils += 1
                if consecutiveNils > 1, PQstatus(handle) != CONNECTION_OK { throw connectionError(statement: statement) }
                continue
            }
            consecutiveNils = 0
            let status = PQresultStatus(result)
            defer { PQclear(result) }
            switch status {
            case PGRES_PIPELINE_SYNC:
                if let firstError { throw firstError }
                return affected
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
                affected += Int(String(cString: PQcmdTuples(result))) ?? 0
            case PGRES_PIPELINE_ABORTED:
                continue
            default:
                if firstError == nil { firstError = serverError(result, statement: statement) }
            }
        }
    }
}
