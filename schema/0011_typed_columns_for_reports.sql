-- 0011: typed columns for what reports, incidence rates, survival and follow-up group and filter by.
-- Reading an item out of the items JSON parses the whole document for each item (about 6 µs a row and item, so
-- seconds over a million tumors); these copies are kept by every writer from the one list in the code
-- (RegistryStore `TypedColumns`), like the columns of 0001.
ALTER TABLE tumor
    ADD COLUMN county_at_dx             text,   -- NAACCR 90
    ADD COLUMN state_at_dx              text,   -- NAACCR 80
    ADD COLUMN age_at_diagnosis         text,   -- NAACCR 230
    ADD COLUMN summary_stage_2000       text,   -- NAACCR 759
    ADD COLUMN type_of_reporting_source text;   -- NAACCR 500
ALTER TABLE patient ADD COLUMN race_1 text;     -- NAACCR 160

UPDATE tumor t SET county_at_dx = x."90", state_at_dx = x."80", age_at_diagnosis = x."230", summary_stage_2000 = x."759",
                   type_of_reporting_source = x."500"
FROM (SELECT id, r.* FROM tumor, json_to_record(tumor.items) AS r("90" text, "80" text, "230" text, "759" text, "500" text)) x
WHERE x.id = t.id AND (x."90" IS NOT NULL OR x."80" IS NOT NULL OR x."230" IS NOT NULL OR x."759" IS NOT NULL OR x."500" IS NOT NULL);
UPDATE patient SET race_1 = items->>'160' WHERE items->>'160' IS NOT NULL;
