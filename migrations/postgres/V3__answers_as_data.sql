-- Idempotency answers kept as data, and the shop's secret.
--
-- An answer kept with an idempotency key was the HTTP answer itself (a
-- status and a body, with the order's access token in clear). It is now
-- what the checkout decided: the order placed (`order_id`), or the refusal
-- (`refusal`, JSON with every field its sentence names) and the language it
-- was given in, rendered again on a replay. Order access tokens are derived
-- from the shop's secret (below), so a replay gives the same token again
-- and no token is kept anywhere.
--
-- Answers kept before this version: a placed order keeps its order's id; a
-- refusal is dropped (a retry of a refused checkout is decided again).
-- While a transaction of PostgreSQL's checkout holds a new key, its row has
-- neither an order nor a refusal; no such row is ever committed.
alter table idempotency_keys add column order_id text collate "C";
alter table idempotency_keys add column refusal text;
alter table idempotency_keys add column lang text not null default 'fr';
update idempotency_keys set order_id = response::jsonb -> 'order' ->> 'id' where status = 201;
delete from idempotency_keys where order_id is null;
alter table idempotency_keys drop column status;
alter table idempotency_keys drop column response;

-- The shop's secret, one row, made by the first start after this migration:
-- order access tokens are base64url(HMAC-SHA256(secret, order id)).
create table shop_secret (
    id bigint primary key check (id = 1),
    secret text not null
);
