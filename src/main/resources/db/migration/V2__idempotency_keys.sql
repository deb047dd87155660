-- Idempotency-Key of POST /api/leads: a retried request gets the first answer again.
create table idempotency_key (
    idem_key      varchar(200) primary key,
    fingerprint   varchar(64)  not null,
    lead_id       varchar(36)  not null references lead (id),
    created_lead  boolean      not null,
    created_at    timestamp with time zone not null
);
