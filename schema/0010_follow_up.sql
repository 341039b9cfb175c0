-- 0010: follow-up: the contacts registrars record, the attempts (letters, calls) they make, the rule that says which
-- cases the Commission on Cancer leaves out of follow-up, and an index for the due list.

-- Each follow-up contact recorded (the abstract's items change too, with their revisions; this keeps the history of
-- contacts themselves: when, from what source, what it said).
CREATE TABLE follow_up_contact (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id    bigint NOT NULL REFERENCES patient (id),
    contact_date  text NOT NULL CHECK (contact_date ~ '^[0-9]{8}$'),   -- CCYYMMDD, becomes Date of Last Contact (1750)
    source        text NOT NULL,                                      -- Follow-Up Source (1790) code
    vital_status  text NOT NULL CHECK (vital_status IN ('0', '1')),   -- Vital Status (1760)
    recorded_by   bigint REFERENCES app_user (id),
    recorded_name text NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX follow_up_contact_by_patient ON follow_up_contact (patient_id, recorded_at);

-- Letters sent and calls made, so the control list shows what was done and which method is due next.
CREATE TABLE follow_up_attempt (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id    bigint NOT NULL REFERENCES patient (id),
    attempted_on  date NOT NULL,
    method        text NOT NULL CHECK (method IN ('chart requisition', 'physician letter', 'contact letter', 'phone call',
                                                  'other hospital contact', 'other')),
    addressee     text NOT NULL CHECK (addressee IN ('physician', 'patient', 'contact', 'hospital', 'other')),
    recorded_by   bigint REFERENCES app_user (id),
    recorded_name text NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX follow_up_attempt_by_patient ON follow_up_attempt (patient_id, attempted_on);

-- A date CCYY[MM[DD]] with unknown parts (99, blank) as its earliest day, CCYYMMDD; NULL without a year. String
-- comparisons only (no regular expressions): the follow-up rates call it several times for each of a million tumors.
CREATE FUNCTION naaccr_date_floor(d text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN d IS NULL OR length(d) < 4 OR left(d, 4) = '9999' OR NOT (left(d, 4) BETWEEN '0000' AND '9999') THEN NULL
        WHEN length(d) < 6 OR NOT (substr(d, 5, 2) BETWEEN '01' AND '12') THEN left(d, 4) || '0101'
        WHEN length(d) < 8 OR NOT (substr(d, 7, 2) BETWEEN '01' AND '31') THEN left(d, 6) || '01'
        ELSE left(d, 8)
    END
$$;

-- Why the Commission on Cancer leaves a case out of follow-up and of its follow-up rates (NULL: the case is followed),
-- in the order of the CoC follow-up worksheet: benign or borderline (behavior 0, 1); carcinoma in situ of the cervix
-- (C530-C539, behavior 2); in situ and localized basal and squamous cell carcinoma of the skin (C440-C449, histology
-- 8050-8110, behavior 2 or Summary Stage 2018/2000 localized); foreign residents (Addr at DX--State XX or YY);
-- non-analytic (Class of Case other than 00-22); living patients 100 years old or older on the as-of date (CCYYMMDD;
-- from the date of birth, else from the age at diagnosis; a patient known dead is followed successfully at any age).
CREATE FUNCTION follow_up_exclusion(behavior text, primary_site text, histology text, summary_stage_2018 text,
                                    summary_stage_2000 text, state_at_dx text, class_of_case text, date_of_birth text,
                                    age_at_diagnosis text, diagnosis_year smallint, vital_status text, as_of text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN behavior IN ('0', '1') THEN 'benign or borderline'
        WHEN behavior = '2' AND primary_site BETWEEN 'C530' AND 'C539' THEN 'carcinoma in situ of the cervix'
        WHEN primary_site BETWEEN 'C440' AND 'C449' AND histology BETWEEN '8050' AND '8110'
             AND (behavior = '2' OR summary_stage_2018 = '1' OR (coalesce(summary_stage_2018, '') = '' AND summary_stage_2000 = '1'))
            THEN 'in situ or localized basal or squamous cell skin'
        WHEN state_at_dx IN ('XX', 'YY') THEN 'foreign resident'
        WHEN coalesce(class_of_case, '') NOT IN ('00', '10', '11', '12', '13', '14', '20', '21', '22') THEN 'non-analytic'
        WHEN vital_status = '0' THEN NULL
        WHEN naaccr_date_floor(date_of_birth) IS NOT NULL
             AND lpad((left(date_of_birth, 4)::int + 100)::text, 4, '0') || substr(naaccr_date_floor(date_of_birth), 5, 4) <= as_of
            THEN 'age 100 or older'
        WHEN naaccr_date_floor(date_of_birth) IS NULL AND age_at_diagnosis BETWEEN '000' AND '998' AND length(age_at_diagnosis) = 3
             AND age_at_diagnosis::int + (left(as_of, 4)::int - diagnosis_year) >= 100
            THEN 'age 100 or older'
    END
$$;

-- Living patients by the earliest day their last contact can be (no date: first): the due list reads those last seen
-- 12 months or more before its as-of date.
CREATE INDEX patient_alive_by_last_contact ON patient ((coalesce(naaccr_date_floor(date_of_last_contact), '00000000')))
    WHERE vital_status = '1';
