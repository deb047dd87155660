-- Fair rotation decided by the database. Every configured rep has a rotation row (seeded at start-up,
-- so a rep's first assignment updates a row instead of racing to insert it); an assignment locks the
-- candidates' rows, picks the rep with the oldest turn and gives them the next turn. Runs on H2 and PostgreSQL.
alter table rep_rotation alter column last_assigned_at drop not null;
alter table rep_rotation add column last_turn bigint default 0 not null;
update rep_rotation r set last_turn = (select count(*) from rep_rotation o where o.last_assigned_at <= r.last_assigned_at);

-- capacity: a rep's open leads are counted on every assignment
create index ix_lead_sales_rep on lead (sales_rep, stage);
