-- 0005: keep each abstract's items as the JSON text that was sent (type json), not as parsed jsonb.
-- Why: registries load abstracts by the million and the application always reads and writes an abstract's
-- items whole. jsonb parses and re-sorts every ~2 KB document on the way in (a quarter of the server's work in
-- a bulk import) and re-serialises it on the way out; json only checks that the text is well formed and keeps
-- it as it is. The `->>` operators still work in SQL (they scan the text), and the items that look-ups, edits,
-- reports and survival filter or group by are typed columns with indexes. Compare items with `::jsonb`
-- (json has no equality; key order and spacing may differ between writers).
ALTER TABLE patient ALTER COLUMN items DROP DEFAULT,
                    ALTER COLUMN items TYPE json USING items::json,
                    ALTER COLUMN items SET DEFAULT '{}';
ALTER TABLE tumor ALTER COLUMN items DROP DEFAULT,
                  ALTER COLUMN items TYPE json USING items::json,
                  ALTER COLUMN items SET DEFAULT '{}';
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE patient ALTER COLUMN items SET COMPRESSION lz4;
        ALTER TABLE tumor ALTER COLUMN items SET COMPRESSION lz4;
    END IF;
END
$$;

-- Nothing looks tumors up by histology or by full diagnosis date alone (searches use site and diagnosis year,
-- reports scan); each index costs every import and save.
DROP INDEX tumor_by_histology;
DROP INDEX tumor_by_diagnosis_date;

-- Which of `patient_ids` are stored under `registry` (imports ask this per batch of a thousand patients). The
-- planner settings pin the plan to one index probe per id: during an import the table grows inside the
-- transaction faster than its statistics, and a scan per batch would make an import quadratic.
CREATE FUNCTION stored_patient_ids(registry text, patient_ids text[]) RETURNS SETOF text
    LANGUAGE sql STABLE
    SET enable_seqscan = off SET enable_bitmapscan = off SET enable_hashjoin = off SET enable_mergejoin = off
AS $$
    SELECT p.patient_id_number FROM unnest(patient_ids) AS k(id)
    JOIN patient p ON p.registry_id = registry AND p.patient_id_number = k.id
$$;
