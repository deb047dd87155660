-- API keys of integrating systems (README "Who may do what"). Only the SHA-256 of each secret is kept;
-- a revoked key stays listed (who had access, until when). Runs on H2 and PostgreSQL.
create table api_key (
    id                   varchar(36)   primary key,
    name                 varchar(100)  not null,
    scopes               varchar(100)  not null,
    secret_sha256        varchar(64)   not null,
    requests_per_minute  integer       not null,
    created_at           timestamp with time zone not null,
    created_by           varchar(255)  not null,
    revoked_at           timestamp with time zone,
    revoked_by           varchar(255),
    constraint uq_api_key_secret unique (secret_sha256)
);
