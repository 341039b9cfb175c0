-- 0016: finding a patient by the identifiers a registrar has at hand: accession number (550, already a column),
-- medical record number (2300) and social security number (2320), typed columns kept by every writer (RegistryStore
-- `TypedColumns`), each with an index that serves an exact look-up.
ALTER TABLE tumor ADD COLUMN medical_record_number text;     -- NAACCR 2300
ALTER TABLE patient ADD COLUMN social_security_number text;  -- NAACCR 2320
UPDATE tumor SET medical_record_number = items->>'2300'
WHERE items::text LIKE '%"2300"%';
UPDATE patient SET social_security_number = items->>'2320' WHERE items::text LIKE '%"2320"%';
CREATE INDEX tumor_by_accession_number ON tumor (accession_number) WHERE accession_number IS NOT NULL;
CREATE INDEX tumor_by_medical_record_number ON tumor (medical_record_number) WHERE medical_record_number IS NOT NULL;
CREATE INDEX patient_by_social_security_number ON patient (social_security_number) WHERE social_security_number IS NOT NULL;
