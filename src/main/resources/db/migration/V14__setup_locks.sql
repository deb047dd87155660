-- Start-up work that every node does (creating the Tasklist filters) runs under a row lock of this
-- table, so two nodes starting together create each filter once: the second waits, then finds it.
create table setup_lock (
    name varchar(100) primary key
);
insert into setup_lock (name) values ('tasklistFilters');
