-- A task done after its deadline before the deadline's timer ran records its breach when completed:
-- then completed_at says when. Null for a breach the timer recorded (the task lapsed or stayed open),
-- which is how the KPIs tell a lapsed acceptance (no decision) from a late one.
alter table sla_breach add column completed_at timestamp with time zone;
