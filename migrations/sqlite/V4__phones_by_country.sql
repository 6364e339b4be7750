-- Phones read by libphonenumber's metadata for the shop's country.
--
-- `default_country` is the shop's country, an ISO 3166 code ('CI'): a
-- phone written without '+' or an international prefix is read as a
-- number of that country. It replaces `default_country_code`, which stays,
-- written with the country's calling code, for readers of the older
-- setting. Null until the first start after this migration writes the
-- country the calling code names: SQL has no table of countries, the
-- start-up has libphonenumber's.
alter table settings add column default_country text
    check (default_country is null or (length(default_country) = 2 and default_country = upper(default_country)));

-- The form `orders.customer_phone_normalised` and `customers.phone` are
-- written in. 1: '+' and the digits typed, the calling code put before a
-- local number, so that '+0225 07…', '+225 0 07…' and '07…' made three
-- customers of one number. 2: the number in E.164 form, as libphonenumber
-- reads it. SQL cannot parse phones: the first start after this migration
-- brings the rows to form 2 in Rust (store/phones.rs) and sets 2, in one
-- transaction. A phone that reads again as a number takes that number and
-- customers that become one have their counts summed; a phone that is no
-- number (an Ivorian one of the 8-digit plan) is kept as it was, and no
-- checkout can spell it any more.
alter table settings add column phones_form integer not null default 1
    check (phones_form = 1 or phones_form = 2);
