-- 0012: deaths from the state's death-certificate file, matched to the registry's patients and held for review;
-- accepting one records the death like a follow-up contact (vital status, date of last contact, cause of death).
CREATE TABLE death_match (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id     bigint NOT NULL REFERENCES patient (id),
    source         text NOT NULL,                                     -- the file's name
    line           integer NOT NULL,
    date_of_death  text NOT NULL CHECK (date_of_death ~ '^[0-9]{8}$'),
    cause_of_death text NOT NULL DEFAULT '',                          -- ICD-10 (NAACCR 1910)
    place_of_death text NOT NULL DEFAULT '',                          -- state (NAACCR 1942)
    matched_on     text NOT NULL CHECK (matched_on IN ('patient id number', 'name, birth date and sex')),
    status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
    reviewed_by    text,
    reviewed_at    timestamptz,
    received_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX death_match_pending ON death_match (received_at) WHERE status = 'pending';
