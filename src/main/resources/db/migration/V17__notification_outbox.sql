-- Notifications waiting to be sent (notification/NotificationOutbox): one row per message, written in
-- the transaction of the step that asks for it, and sent in batches, many to one job
-- (notification/NotificationBatches). No contact data: the sender reads the lead record when it sends.
-- batch_id: the batch that took the row (null: waiting); sent_at: when it went out. Sent rows are
-- kept 30 days, as long as the notification process's history; a row whose send failed becomes a
-- notification instance of its own (retries, then an incident in Cockpit) and leaves this table.
create table notification_outbox (
    id          varchar(36) primary key,
    event       varchar(40) not null,
    channel     varchar(16) not null,
    lead_id     varchar(36),
    lead_number varchar(32),
    message     varchar(1000000) not null,
    created_at  timestamp with time zone not null,
    batch_id    varchar(36),
    sent_at     timestamp with time zone
);

create index notification_outbox_batch on notification_outbox (batch_id, created_at);
create index notification_outbox_lead on notification_outbox (lead_id);
create index notification_outbox_sent on notification_outbox (sent_at);
