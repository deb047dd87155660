-- The KPIs (io.leadflow.reporting) count events of a period: each table is read by its time column.
-- Runs on H2 and PostgreSQL.
create index ix_lead_created on lead (created_at);
create index ix_attempt_time on lead_attempt (attempted_at);
create index ix_rejection_time on lead_rejection (rejected_at);
create index ix_recycle_time on lead_recycle (recycled_at);
create index ix_opportunity_created on opportunity (created_at);
-- the funnel counts a period's stage entries from the index alone (index-only scan)
create index ix_stage_entry_stage_lead on lead_stage_entry (stage, entered_at, lead_id);
