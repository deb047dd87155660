-- Reps' availability (README "Who may do what" / "Reps' availability"). A rep's rotation row also holds
-- what a sales manager sets: the capacity (a weight: a rep of capacity 20 gets twice the leads of one
-- of capacity 10), whether the rep is active, and the rep's place in the weighted rotation (pass: the
-- rep's virtual time, advanced by 1/capacity per lead). Absences are periods out of office; the rep's
-- open "Accept lead" tasks are re-routed once when one starts (rerouted_at, set by one conditional
-- update, so two nodes running the check re-route once). Runs on H2 and PostgreSQL.
alter table rep_rotation add column capacity integer default 1 not null;
alter table rep_rotation add column active boolean default true not null;
alter table rep_rotation add column pass numeric(30, 12) default 0 not null;
alter table rep_rotation add column updated_at timestamp with time zone;
alter table rep_rotation add column updated_by varchar(255);
alter table rep_rotation add constraint ck_rep_rotation_capacity check (capacity >= 1);

create table rep_absence (
    id           varchar(36)   primary key,
    rep_id       varchar(64)   not null references rep_rotation (rep_id),
    starts_at    timestamp with time zone not null,
    ends_at      timestamp with time zone not null,
    reason       varchar(200)  not null,
    created_at   timestamp with time zone not null,
    created_by   varchar(255),
    rerouted_at  timestamp with time zone,
    constraint ck_rep_absence_period check (ends_at > starts_at)
);
-- who is away now (every assignment asks) and which started absences still wait for their re-routing
create index ix_rep_absence_rep on rep_absence (rep_id, ends_at);
create index ix_rep_absence_reroute on rep_absence (rerouted_at, starts_at);
