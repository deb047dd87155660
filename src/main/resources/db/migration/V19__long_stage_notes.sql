-- A stage's note is kept whole: a disqualification carries the rep's note of up to 2,000 characters
-- after its reason, which the 1,000 of V1 cut off.
alter table lead_stage_entry alter column note set data type varchar(4000);
