-- The readable lead number, e.g. L-2026-000123: "L-", the year of capture (UTC) and a number from the
-- sequence lead_number_seq, six digits or more. It is the business key of the lead's process
-- instances and what people say on the phone; the id (UUID) stays the key for systems.
-- The sequence decides races (nodes and threads draw distinct values without waiting for each other);
-- it runs on across years and leaves gaps (a capture that rolls back has drawn its value), which is fine:
-- the number is unique, not gap-free. Runs on H2 and PostgreSQL.
alter table lead add column lead_number varchar(30);

-- existing leads are numbered in the order they were captured
create table lead_number_backfill (
    lead_id   varchar(36) primary key,
    position  bigint      not null
);
insert into lead_number_backfill (lead_id, position)
select id, row_number() over (order by created_at, id) from lead;
update lead set lead_number = (
    select 'L-' || cast(cast(extract(year from (lead.created_at at time zone 'UTC')) as integer) as varchar) || '-'
           || case when b.position < 1000000 then lpad(cast(b.position as varchar), 6, '0') else cast(b.position as varchar) end
    from lead_number_backfill b where b.lead_id = lead.id);
drop table lead_number_backfill;

-- new leads draw from the sequence; one nextval per existing lead moves it past their numbers
create sequence lead_number_seq start with 1;
select nextval('lead_number_seq') from lead;

alter table lead alter column lead_number set not null;
alter table lead add constraint uq_lead_number unique (lead_number);
