-- 0002: compress the abstracts' items with lz4 where the server has it (several times faster than the
-- default pglz for the ~2 KB jsonb of a full abstract, which imports and exports handle in bulk).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE patient ALTER COLUMN items SET COMPRESSION lz4;
        ALTER TABLE tumor ALTER COLUMN items SET COMPRESSION lz4;
        ALTER TABLE abstract_revision ALTER COLUMN changes SET COMPRESSION lz4;
    END IF;
END
$$;
