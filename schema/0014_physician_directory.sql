-- 0014: the registry's physician directory, so follow-up letters reach the following physician (Physician--Follow-Up,
-- NAACCR 2470, and the other physician items 2460-2480 hold a physician's code: usually the NPI) at an address.
-- Loaded from the hospital's or the state's physician file (`registry physicians load`); each load is audited.
CREATE TABLE physician (
    code          text PRIMARY KEY CHECK (code ~ '^[0-9A-Za-z]{1,10}$'),   -- as the physician items hold it (10 characters)
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    address_line  text NOT NULL DEFAULT '',
    address_line2 text NOT NULL DEFAULT '',
    city          text NOT NULL DEFAULT '',
    state         text NOT NULL DEFAULT '',
    postal_code   text NOT NULL DEFAULT '',
    phone         text NOT NULL DEFAULT '',
    updated_at    timestamptz NOT NULL DEFAULT now()
);
