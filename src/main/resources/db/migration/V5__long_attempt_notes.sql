-- A contact attempt's note is kept whole, even several pages long (the forms show only its start).
alter table lead_attempt alter column note set data type varchar(10000);
