-- Idempotency keys are kept for leadflow.capture.idempotency-key-retention (7 days): the hourly
-- removal finds the old ones by their time instead of reading the whole table.
create index idempotency_key_created_at on idempotency_key (created_at);
