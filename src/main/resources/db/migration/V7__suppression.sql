-- Do-not-contact is remembered without keeping the address: a salted hash (HMAC-SHA-256, hex) of the
-- normalized email of every lead that asked not to be contacted, erased or not. Capture, web forms,
-- CSV imports and engagements by email look here before they create or touch a lead. Runs on H2 and PostgreSQL.
create table lead_suppression (
    email_hash      varchar(64)  primary key,
    lead_id         varchar(36)  references lead (id),
    suppressed_at   timestamp with time zone not null
);

-- CSV imports count the rows whose email asked not to be contacted.
alter table lead_import add column suppressed integer not null default 0;
