-- 0013: what the follow-up worksheet and the quality dashboard read, kept beside each row so that a million tumors
-- are counted from two narrow indexes instead of the wide rows (CoC follow-up worksheet and timeliness under 2 s).

-- Typed copies, kept by every writer from the one list in the code (RegistryStore `TypedColumns`), like 0011's.
ALTER TABLE tumor
    ADD COLUMN date_of_first_contact text,  -- NAACCR 580
    ADD COLUMN date_case_completed  text;   -- NAACCR 2090
UPDATE tumor t SET date_of_first_contact = x."580", date_case_completed = x."2090"
FROM (SELECT id, r.* FROM tumor, json_to_record(tumor.items) AS r("580" text, "2090" text)) x
WHERE x.id = t.id AND (x."580" IS NOT NULL OR x."2090" IS NOT NULL);

-- The part of the CoC follow-up exclusion that belongs to the case alone, in the worksheet's order: benign or
-- borderline (behavior 0, 1); carcinoma in situ of the cervix (C530-C539, behavior 2); in situ and localized basal and
-- squamous cell carcinoma of the skin (C440-C449, histology 8050-8110, behavior 2 or Summary Stage 2018/2000
-- localized); foreign residents (Addr at DX--State XX or YY); non-analytic (Class of Case other than 00-22).
CREATE FUNCTION follow_up_case_exclusion(behavior text, primary_site text, histology text, summary_stage_2018 text,
                                         summary_stage_2000 text, state_at_dx text, class_of_case text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN behavior IN ('0', '1') THEN 'benign or borderline'
        WHEN behavior = '2' AND primary_site BETWEEN 'C530' AND 'C539' THEN 'carcinoma in situ of the cervix'
        WHEN primary_site BETWEEN 'C440' AND 'C449' AND histology BETWEEN '8050' AND '8110'
             AND (behavior = '2' OR summary_stage_2018 = '1' OR (coalesce(summary_stage_2018, '') = '' AND summary_stage_2000 = '1'))
            THEN 'in situ or localized basal or squamous cell skin'
        WHEN state_at_dx IN ('XX', 'YY') THEN 'foreign resident'
        WHEN coalesce(class_of_case, '') NOT IN ('00', '10', '11', '12', '13', '14', '20', '21', '22') THEN 'non-analytic'
    END
$$;

-- The part that belongs to the patient on the as-of date (CCYYMMDD): a patient known dead is followed successfully at
-- any age; a living patient 100 years old or older is left out, from the earliest day of the date of birth, else from
-- the age at diagnosis (Age at Diagnosis 230 plus the years since the year of diagnosis).
CREATE FUNCTION follow_up_patient_exclusion(vital_status text, date_of_birth_floor text, age_at_diagnosis text,
                                            diagnosis_year smallint, as_of text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN vital_status = '0' THEN NULL
        WHEN date_of_birth_floor IS NOT NULL
             AND lpad((left(date_of_birth_floor, 4)::int + 100)::text, 4, '0') || substr(date_of_birth_floor, 5, 4) <= as_of
            THEN 'age 100 or older'
        WHEN date_of_birth_floor IS NULL AND age_at_diagnosis BETWEEN '000' AND '998' AND length(age_at_diagnosis) = 3
             AND age_at_diagnosis::int + (left(as_of, 4)::int - diagnosis_year) >= 100
            THEN 'age 100 or older'
    END
$$;

-- The whole rule (0010's function) now states each part once, through the two functions above.
CREATE OR REPLACE FUNCTION follow_up_exclusion(behavior text, primary_site text, histology text, summary_stage_2018 text,
                                               summary_stage_2000 text, state_at_dx text, class_of_case text, date_of_birth text,
                                               age_at_diagnosis text, diagnosis_year smallint, vital_status text, as_of text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(follow_up_case_exclusion(behavior, primary_site, histology, summary_stage_2018, summary_stage_2000, state_at_dx,
                                             class_of_case),
                    follow_up_patient_exclusion(vital_status, naaccr_date_floor(date_of_birth), age_at_diagnosis, diagnosis_year, as_of))
$$;

-- Computed by PostgreSQL on every write (no writer can forget them): the earliest day of the date of diagnosis, the
-- case's own exclusion, and the patient's earliest days of birth and last contact.
ALTER TABLE tumor
    ADD COLUMN diagnosis_date_floor text GENERATED ALWAYS AS (naaccr_date_floor(date_of_diagnosis)) STORED,
    ADD COLUMN follow_up_case_exclusion text GENERATED ALWAYS AS (
        follow_up_case_exclusion(behavior, primary_site, histologic_type, summary_stage_2018, summary_stage_2000, state_at_dx,
                                 class_of_case)) STORED;
ALTER TABLE patient
    ADD COLUMN date_of_birth_floor text GENERATED ALWAYS AS (naaccr_date_floor(date_of_birth)) STORED,
    ADD COLUMN date_of_last_contact_floor text GENERATED ALWAYS AS (naaccr_date_floor(date_of_last_contact)) STORED;

-- The worksheet reads the cohort's tumors and their patients from these alone (index-only scans), and the dashboard
-- the year's tumors (a tumor row is over a kilobyte of items; these entries are a few dozen bytes).
CREATE INDEX tumor_follow_up_cohort ON tumor (diagnosis_date_floor)
    INCLUDE (patient_id, follow_up_case_exclusion, age_at_diagnosis, diagnosis_year);
CREATE INDEX tumor_year_quality ON tumor (diagnosis_year)
    INCLUDE (patient_id, class_of_case, behavior, summary_stage_2018, date_of_first_contact, date_case_completed, age_at_diagnosis,
             county_at_dx, type_of_reporting_source);
CREATE INDEX patient_follow_up_status ON patient (id)
    INCLUDE (vital_status, date_of_last_contact_floor, date_of_birth_floor, sex_assigned_at_birth, race_1, name_last, name_first,
             date_of_birth);

-- After a large import the planner must know the new rows (a million tumors planned as twenty picks nested loops
-- over the wide rows); only the tables' owner may ANALYZE, so the application calls this instead.
CREATE FUNCTION refresh_planner_statistics() RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    ANALYZE patient;
    ANALYZE tumor;
END
$$;
REVOKE ALL ON FUNCTION refresh_planner_statistics() FROM PUBLIC;
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'registry_application') THEN
        GRANT EXECUTE ON FUNCTION refresh_planner_statistics() TO registry_application;
    END IF;
END
$$;
