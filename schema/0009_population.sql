-- 0009: population estimates, the denominators of incidence rates.
-- One row per year, county, sex, age group and race, as SEER's county population files give them (the 19 age groups
-- of the 2000 US standard population: 0 = under 1, 1 = 1-4, 2 = 5-9, ..., 18 = 85+). Loading a file replaces the
-- years it covers (a new release of the estimates supersedes the old), in one transaction with its audit row.
CREATE TABLE population (
    year       smallint NOT NULL CHECK (year BETWEEN 1900 AND 2100),
    county     text     NOT NULL CHECK (county ~ '^[0-9]{3}$'),   -- FIPS county code, as County at Diagnosis (NAACCR 90)
    sex        text     NOT NULL CHECK (sex IN ('1', '2')),       -- as Sex Assigned at Birth (NAACCR 225)
    age_group  smallint NOT NULL CHECK (age_group BETWEEN 0 AND 18),
    race       text     NOT NULL CHECK (race IN ('1', '2', '3', '4')),  -- SEER: white, black, AIAN, Asian/Pacific Islander
    population bigint   NOT NULL CHECK (population >= 0),
    PRIMARY KEY (year, county, sex, age_group, race)
);

-- Loads are audited as 'import' (entity 'population'), which the action check already allows.
