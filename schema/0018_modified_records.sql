-- 0018: changed records as record type M. A destination may take the records it has had before, and that changed
-- since it accepted them, as NAACCR record type M (modified) in a file of their own beside the file of new records
-- (a NAACCR XML file carries one record type). The M file is a submission row of its own (its tumors, its file, its
-- checksum) that belongs to the submission generated with it; the destination accepts or rejects the pair, so the
-- two are marked together.
ALTER TABLE submission ADD COLUMN companion_of bigint REFERENCES submission (id);
CREATE INDEX submission_by_companion ON submission (companion_of) WHERE companion_of IS NOT NULL;
