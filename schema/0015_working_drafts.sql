-- 0015: drafts that come back. Besides the draft a lost version conflict keeps, the workbench keeps each registrar's
-- unsaved typing on an abstract as a working draft (only the items changed, patient items beside the tumor's), offered
-- when the abstract is opened again and dropped when it is saved or discarded.
ALTER TABLE abstract_draft
    ADD COLUMN patient_items jsonb,
    ADD CONSTRAINT abstract_draft_reason CHECK (reason IN ('version conflict', 'working'));
