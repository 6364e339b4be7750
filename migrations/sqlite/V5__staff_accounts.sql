-- Staff accounts: people who sign in with a name and a password, in two
-- roles, with sessions kept server-side.
--
-- `admins` gains a role, a password hash and the time it was last seen,
-- and its API token becomes optional: an assistant invited from the back
-- office signs in with a password only. SQLite cannot drop a NOT NULL, so
-- the table is made again with its rows; nothing references it by key
-- (`admin_actions.actor` is the name, kept as written at the time).
create table admins_v5 (
    id integer primary key,
    name text not null unique,
    -- 'owner' does everything; 'staff' runs the catalog, stock and orders.
    role text not null default 'owner' check (role in ('owner', 'staff')),
    -- SHA-256 of the API token (`Authorization: Bearer`); null when none was made.
    token_hash text,
    -- Argon2id in PHC form; null until set through a setup link.
    password_hash text,
    created_at text not null,
    -- Last request made with the token or a session, to the minute.
    last_seen_at text,
    -- Set when revoked: its sessions, token and setup links end at once.
    revoked_at text
);
insert into admins_v5 (id, name, role, token_hash, created_at, revoked_at)
    select id, name, 'owner', token_hash, created_at, revoked_at from admins;
drop table admins;
alter table admins_v5 rename to admins;

-- A signed-in browser. The cookie holds the token; the row its hash. A
-- session ends by sign-out (`ended_at`), by its person's revocation, or by
-- idle or absolute expiry, which the server checks against its settings.
create table admin_sessions (
    token_hash text primary key,
    admin_id integer not null references admins (id),
    created_at text not null,
    last_seen_at text not null,
    ended_at text
);
create index admin_sessions_by_admin on admin_sessions (admin_id);

-- One-time links to choose a password: made by an invitation, a reset or
-- `stockroom admin create --password-setup`; kept hashed; used once.
create table setup_tokens (
    token_hash text primary key,
    admin_id integer not null references admins (id),
    created_at text not null,
    expires_at text not null,
    used_at text
);
create index setup_tokens_by_admin on setup_tokens (admin_id);

-- Failed sign-ins, per name ('name:aya') and per client address
-- ('address:203.0.113.7'), counted while they come within the window:
-- every instance sees the same counts. Rows older than the window are
-- deleted as new failures come.
create table sign_in_failures (
    subject text primary key,
    failures integer not null check (failures > 0),
    last_failed_at text not null
);
create index sign_in_failures_by_time on sign_in_failures (last_failed_at);

-- What a change was before and what it became (JSON), from this version
-- on; null for the changes recorded before.
alter table admin_actions add column before text;
alter table admin_actions add column after text;
