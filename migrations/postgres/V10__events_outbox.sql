-- The outbox: what happened in the shop, written in the transaction of the
-- change it reports, then delivered by the workers (webhooks, e-mail, SMS)
-- and read by the back office's live badge.

-- An event as its transaction wrote it. Instances commit side by side, so
-- a sequence taken inside a transaction may become visible after a larger
-- one: events get their ids only after commit, when one transaction at a
-- time (under an advisory lock) moves the committed rows of the inbox to
-- `events`, numbered in `seq` order. A reader resuming after an id so
-- never skips one (`store/events.rs`).
create table event_inbox (
    seq bigserial primary key,
    type text collate "C" not null,
    data text not null, -- JSON
    created_at text collate "C" not null
);

-- One numbered event.
create table events (
    id bigint primary key,
    type text collate "C" not null,
    data text not null,
    created_at text collate "C" not null
);
create index events_by_type on events (type, id);

-- Where the fan-out stands: every event up to `fanned_out` has its deliveries.
create table outbox_cursor (
    id bigint primary key check (id = 1),
    fanned_out bigint not null
);
insert into outbox_cursor (id, fanned_out) values (1, 0);

-- The owner's webhook endpoints: the event types each receives (JSON
-- array) and the secret its deliveries are signed with.
create table webhooks (
    id text collate "C" primary key,
    url text not null,
    events text not null,
    description text not null default '',
    secret text not null,
    created_by text not null,
    created_at text collate "C" not null
);

-- The owner's channels: e-mail over SMTP and SMS over an HTTP gateway, as
-- JSON with their secrets (never shown back), or null when not set.
create table notification_channels (
    id bigint primary key check (id = 1),
    email text,
    sms text,
    updated_by text,
    updated_at text
);
insert into notification_channels (id) values (1);

-- One message to send: an event to a webhook or to the owner's e-mail or
-- SMS, or a back-in-stock message to a waiting person (`recipient`,
-- `message`). Claimed by a worker for a lease (`for update skip locked`,
-- so two instances never hold one at once), tried until delivered or,
-- after a day of retries (`give_up_at`, moved on by a retry from the page), failed.
create table deliveries (
    id bigserial primary key,
    channel text collate "C" not null check (channel in ('webhook', 'email', 'sms')),
    webhook_id text collate "C" references webhooks (id) on delete cascade,
    event_id bigint,
    recipient text,
    message text,
    status text collate "C" not null default 'pending'
        check (status in ('pending', 'delivered', 'failed')),
    attempt bigint not null default 0,
    next_attempt_at text collate "C" not null,
    give_up_at text collate "C" not null,
    lease_until text collate "C",
    response_status bigint,
    error text,
    at text collate "C",
    created_at text collate "C" not null
);
create index deliveries_due on deliveries (next_attempt_at) where status = 'pending';
create index deliveries_by_webhook on deliveries (webhook_id, id);

-- "Me prévenir": a person waiting for a sold-out size, told once when it
-- comes back (`notified_at`, set in the transaction that queues the
-- message); `token` is the secret of the unsubscribe link.
create table waitlist (
    id text collate "C" primary key,
    sku text collate "C" not null references variants (sku),
    phone text collate "C",
    email text collate "C",
    token text collate "C" not null unique,
    created_at text collate "C" not null,
    notified_at text collate "C",
    unsubscribed_at text collate "C",
    check ((phone is null) <> (email is null))
);
create index waitlist_waiting on waitlist (sku) where notified_at is null and unsubscribed_at is null;
create unique index waitlist_once on waitlist (sku, coalesce(phone, email))
    where notified_at is null and unsubscribed_at is null;
create index waitlist_by_phone on waitlist (phone, created_at);
