-- A KPI filtered by the lead's source, campaign or sales rep (a team is its reps) reads the lead
-- from an index alone (index-only scan on PostgreSQL), not from the table:
--   inquiries of the period:   the filter column, then the created_at range;
--   stage entries of the period joined to their lead: all lead ids of the filter value (hash join).
-- Without them the funnel read ~22,000 table blocks per filtered query on a million leads
-- (docs/BENCHMARKS.md). Runs on H2 and PostgreSQL.
create index ix_lead_source_created on lead (source, created_at, id);
create index ix_lead_campaign_created on lead (campaign, created_at, id);
create index ix_lead_rep_created on lead (sales_rep, created_at, id);
