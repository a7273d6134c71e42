-- The schema zoo on PostgreSQL, in PostgreSQL's own DDL and literal formats.
-- Conventions the tests rely on (tests/zoo/catalogue.py describes each table):
--   * the first row of every table (in key order) is plain and valid;
--   * no row holds a key in the range the tests use for their own rows (9000 and up, 'zz');
--   * statements end with a semicolon at the end of a line;
--   * everything above the "@create" line drops what the zoo creates (run again at teardown).
DROP SCHEMA IF EXISTS zoo_other CASCADE;
DROP VIEW IF EXISTS zoo_people_view CASCADE;
DROP TABLE IF EXISTS "order", "group", "MixedCase", "zoo people", "名簿", country_code, tag, cc_tag, zoo_route,
  zoo_flight, zoo_actor, zoo_film, zoo_role, zoo_credit, zoo_club, zoo_membership, zoo_log, zoo_numbers, zoo_texts,
  zoo_times, zoo_docs, zoo_net, zoo_generated, zoo_hostile_text, hidden, zoo_measure CASCADE;
DROP TYPE IF EXISTS zoo_mood CASCADE;
DROP DOMAIN IF EXISTS zoo_positive CASCADE;
-- @create

-- ---------------------------------------------------------------------------------- names
CREATE TABLE "order" ("id" integer PRIMARY KEY, "select" text, "group" integer);
INSERT INTO "order" VALUES
  (1, 'first', 10), (2, 'second', NULL), (3, 'first', 10), (4, NULL, 20),
  (5, 'Second', 10), (6, 'first', NULL), (7, 'third', 20);

CREATE TABLE "group" ("id" integer PRIMARY KEY, "order" integer REFERENCES "order" ("id"), "select" text NOT NULL);
INSERT INTO "group" VALUES (1, 1, 'alpha'), (2, 1, 'beta'), (3, NULL, 'alpha'), (4, 3, 'gamma'),
  (5, 7, 'beta'), (6, NULL, 'delta'), (7, 2, 'alpha');

CREATE TABLE "MixedCase" ("Id" integer PRIMARY KEY, "Name" text NOT NULL,
  "ReportsTo" integer REFERENCES "MixedCase" ("Id"), "ParentId" integer REFERENCES "MixedCase" ("Id"));
INSERT INTO "MixedCase" VALUES (1, 'Boss', NULL, NULL), (2, 'Ann', 1, 1), (3, 'Bob', 1, NULL), (4, 'ann', 2, 1),
  (5, 'Cy', NULL, 5), (6, 'Bob', 2, 2), (7, 'Dee', 5, 2);

CREATE TABLE "zoo people" ("person no" integer PRIMARY KEY, "id" text, "first name" text, "名前" text, "café" text);
INSERT INTO "zoo people" VALUES
  (1, 'P-1', 'Ada', 'エイダ', 'noir'), (2, 'P-2', 'Grace', 'グレース', 'crème'),
  (3, 'P-1', 'ada', NULL, 'noir'), (4, NULL, 'Édith', 'エディット', NULL),
  (5, 'P-5', 'Zoë', '山田', 'au lait'), (6, 'P-6', NULL, '山田', 'crème'), (7, 'P-7', 'Ada', 'エイダ', 'noir');

CREATE TABLE "名簿" ("番号" integer PRIMARY KEY, "名前" text NOT NULL, "人" integer REFERENCES "zoo people" ("person no"));
INSERT INTO "名簿" VALUES (1, '一郎', 1), (2, '二郎', 2), (3, '三郎', NULL), (4, '一郎', 5),
  (5, '花子', 1), (6, 'Hanako', NULL), (7, '二郎', 7);

-- the same table name in two schemas: public.hidden and zoo_other.hidden; a table only in zoo_other
CREATE TABLE hidden (id integer PRIMARY KEY, note text);
INSERT INTO hidden VALUES (1, 'public one'), (2, 'public two'), (3, NULL), (4, 'public two');
CREATE SCHEMA zoo_other;
CREATE TABLE zoo_other.hidden (id integer PRIMARY KEY, secret text NOT NULL);
INSERT INTO zoo_other.hidden VALUES (1, 'other one'), (2, 'other two'), (3, 'other three'), (4, 'other one'), (5, 'x');
CREATE TABLE zoo_other.elsewhere (id integer PRIMARY KEY, name text, hidden_id integer REFERENCES zoo_other.hidden (id));
INSERT INTO zoo_other.elsewhere VALUES (1, 'far', 1), (2, 'away', NULL), (3, 'far', 4), (4, NULL, 1);

-- ---------------------------------------------------------------------------------- keys
CREATE TABLE country_code (country text, code text, label text, PRIMARY KEY (country, code));
INSERT INTO country_code VALUES ('us', '1', 'United States one'), ('us', '2', 'United States two'), ('fr', '1', 'France one');

CREATE TABLE tag (id integer PRIMARY KEY, name text);
INSERT INTO tag VALUES (1, 'red'), (2, 'blue');

CREATE TABLE cc_tag (country text, code text, tag_id int REFERENCES tag (id),
  PRIMARY KEY (country, code, tag_id), FOREIGN KEY (country, code) REFERENCES country_code (country, code));
INSERT INTO cc_tag VALUES ('fr', '1', 1), ('us', '1', 1), ('us', '2', 1), ('us', '2', 2);

CREATE TABLE zoo_route (origin text, dest text, miles integer, PRIMARY KEY (origin, dest));
INSERT INTO zoo_route VALUES ('cdg', 'jfk', 3626), ('cdg', 'lhr', 216), ('ams', 'jfk', 3639), ('ams', 'lhr', 230);

CREATE TABLE zoo_flight (id integer PRIMARY KEY, origin text NOT NULL, dest text NOT NULL, number text,
  FOREIGN KEY (origin, dest) REFERENCES zoo_route (origin, dest));
INSERT INTO zoo_flight VALUES (1, 'cdg', 'jfk', 'AF1'), (2, 'cdg', 'jfk', 'AF3'), (3, 'ams', 'jfk', 'KL641'),
  (4, 'ams', 'lhr', 'KL1001');

CREATE TABLE zoo_actor (id integer PRIMARY KEY, name text NOT NULL);
INSERT INTO zoo_actor VALUES (1, 'Ann'), (2, 'Bob'), (3, 'Cy'), (4, 'Dee');

CREATE TABLE zoo_film (id integer PRIMARY KEY, title text NOT NULL);
INSERT INTO zoo_film VALUES (1, 'Alpha'), (2, 'Beta'), (3, 'Gamma');

CREATE TABLE zoo_role (id integer PRIMARY KEY, name text NOT NULL);
INSERT INTO zoo_role VALUES (1, 'lead'), (2, 'extra'), (3, 'stunt');

CREATE TABLE zoo_credit (actor_id integer REFERENCES zoo_actor (id), film_id integer REFERENCES zoo_film (id),
  role_id integer REFERENCES zoo_role (id), billing integer, PRIMARY KEY (actor_id, film_id, role_id));
INSERT INTO zoo_credit VALUES (1, 1, 1, 1), (1, 1, 3, NULL), (2, 1, 2, 2), (2, 2, 1, 1), (3, 2, 2, NULL),
  (3, 3, 1, 1), (4, 3, 3, 2);

CREATE TABLE zoo_club (id integer PRIMARY KEY, name text NOT NULL);
INSERT INTO zoo_club VALUES (1, 'Chess'), (2, 'Go'), (3, 'Bridge');

CREATE TABLE zoo_membership (club_id integer NOT NULL REFERENCES zoo_club (id),
  actor_id integer NOT NULL REFERENCES zoo_actor (id), qty integer NOT NULL DEFAULT 1,
  added_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (club_id, actor_id));
INSERT INTO zoo_membership (club_id, actor_id) VALUES (1, 1), (1, 2), (2, 1);
INSERT INTO zoo_membership VALUES (2, 3, 4, TIMESTAMP '2021-02-01 00:00:00'), (3, 4, 1, TIMESTAMP '2016-07-04 00:00:00');

-- a table without a primary key; rows 3 and 4 are identical
CREATE TABLE zoo_log (seq integer, level text, message text);
INSERT INTO zoo_log VALUES (1, 'info', 'started'), (2, 'warn', 'disk'), (3, 'info', 'tick'), (3, 'info', 'tick'),
  (4, NULL, 'tock'), (5, 'warn', NULL), (6, 'info', 'started'), (7, 'error', '[/]');

CREATE VIEW zoo_people_view AS SELECT "person no", "first name", "名前" FROM "zoo people";

-- a partitioned table: the parent is the table people use; its partitions are storage
CREATE TABLE zoo_measure (id integer NOT NULL, taken date NOT NULL, value integer, PRIMARY KEY (id, taken))
  PARTITION BY RANGE (taken);
CREATE TABLE zoo_measure_2020 PARTITION OF zoo_measure FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE zoo_measure_2021 PARTITION OF zoo_measure FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');
INSERT INTO zoo_measure VALUES (1, DATE '2020-03-01', 10), (2, DATE '2021-03-01', 20), (3, DATE '2020-06-01', NULL),
  (4, DATE '2021-06-01', 10), (5, DATE '2020-03-01', 30), (6, DATE '2021-03-01', 10), (7, DATE '2021-12-31', NULL);

-- ---------------------------------------------------------------------------------- types
CREATE DOMAIN zoo_positive AS integer CHECK (VALUE > 0);
CREATE TYPE zoo_mood AS ENUM ('sad', 'ok', 'happy');

CREATE TABLE zoo_numbers (id integer PRIMARY KEY, n_int integer, n_big bigint, flag boolean, n_real real,
  n_double double precision, price numeric(10, 2), n_pos zoo_positive);
INSERT INTO zoo_numbers VALUES
  (1, 1, 1, TRUE, 0.5, 0.1, 12.5, 1),
  (2, 1, 9223372036854775807, FALSE, 0.1, 'Infinity', '12.50', 2),
  (3, NULL, -9223372036854775808, NULL, NULL, NULL, NULL, NULL),
  (4, -7, 9223372036854775807, TRUE, 2.2, '-Infinity', 0, 1),
  (5, 1, NULL, FALSE, 2.2, 'NaN', '12.50', 3),
  (6, 0, 0, TRUE, 0.1, 0.1, -0.01, NULL),
  (7, NULL, 1, NULL, 0.5, 'Infinity', 12.5, 2),
  (8, -7, 0, FALSE, NULL, 'NaN', 99999999.99, 1);

CREATE TABLE zoo_texts (id integer PRIMARY KEY, name text, t_char char(6), t_varchar varchar(20), t_enum zoo_mood,
  t_uuid uuid, t_icu text COLLATE "en-x-icu");
INSERT INTO zoo_texts VALUES
  (1, 'a', 'ab', 'x', 'ok', '00000000-0000-0000-0000-000000000001', 'apple'),
  (2, 'A', 'ab    ', 'X', 'sad', '00000000-0000-0000-0000-000000000002', 'Zebra'),
  (3, 'á', NULL, 'x', NULL, NULL, NULL),
  (4, 'B', 'b', NULL, 'happy', '00000000-0000-0000-0000-000000000001', 'zebra'),
  (5, 'b', 'ab', 'y', 'ok', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'Äpfel'),
  (6, NULL, 'b', 'x', 'sad', '00000000-0000-0000-0000-000000000002', 'apple'),
  (7, 'a', 'Ab', 'Y', 'ok', NULL, 'Zulu'),
  (8, 'á', 'ab', 'x', 'happy', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '_under');

CREATE TABLE zoo_times (id integer PRIMARY KEY, d date, ts timestamp, ts_us timestamp(6), ts_tz timestamptz,
  t time, span interval);
INSERT INTO zoo_times VALUES
  (1, DATE '2021-02-01', TIMESTAMP '2021-02-01 00:00:00', TIMESTAMP '2021-02-01 00:00:00.123456',
   TIMESTAMPTZ '2021-02-01 10:00:00+02', TIME '10:00:00', INTERVAL '1 day'),
  (2, DATE '2021-02-01', TIMESTAMP '2021-02-01 00:00:00', TIMESTAMP '2021-02-01 00:00:00.123456',
   TIMESTAMPTZ '2021-02-01 08:00:00+00', TIME '10:00:00', INTERVAL '24 hours'),
  (3, NULL, TIMESTAMP '2016-07-04 00:00:00', NULL, NULL, NULL, NULL),
  (4, DATE '2016-07-04', TIMESTAMP '2021-02-01 10:00:00', TIMESTAMP '2021-02-01 00:00:00.5',
   TIMESTAMPTZ '2016-07-04 00:00:00-07', TIME '10:00', INTERVAL '1 year 2 mons'),
  (5, DATE '2021-02-01', TIMESTAMP '2021-02-01 00:00:00', TIMESTAMP '2016-07-04 23:59:59.999999',
   TIMESTAMPTZ '2021-02-01 10:00:00+02', TIME '23:59:59', INTERVAL '-02:00:00'),
  (6, DATE '2016-07-04', NULL, TIMESTAMP '2021-02-01 00:00:00.123456', TIMESTAMPTZ '2021-02-01 08:00:00Z', NULL,
   INTERVAL '1 day'),
  (7, NULL, TIMESTAMP '2021-02-01 00:00:00', NULL, NULL, TIME '10:00:00', INTERVAL '00:00:00.000001'),
  (8, DATE '2021-02-01', TIMESTAMP '2016-07-04 00:00:00', TIMESTAMP '2021-02-01 00:00:00.123456',
   TIMESTAMPTZ '2021-02-01 10:00:00+02', TIME '10:00:00', NULL);

CREATE TABLE zoo_docs (id integer PRIMARY KEY, doc json, docb jsonb, payload bytea, ints integer[], words text[],
  body xml, search tsvector);
INSERT INTO zoo_docs VALUES
  (1, '{"a": 1}', '{"a": 1}', '\x00ff10', '{1,2,3}', '{a,b}', '<a>1</a>', 'fat cat'),
  (2, '[1, 2, 3]', '[1, 2, 3]', '\x', '{}', '{}', '<a>2</a>', 'cat'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (4, '{"a":1}', '{"a": 1}', '\x00ff10', '{1,2,3}', '{a,b}', '<a>1</a>', 'fat cat'),
  (5, '"text"', '"text"', '\xdeadbeef', '{NULL,1}', ARRAY['[/]', 'b c'], '<b/>', 'rat'),
  (6, '{"deep": {"x": [1, {"y": null}]}, "big": 9007199254740993}', '{"deep": {"x": [1, {"y": null}]}}', NULL,
   '{3}', '{"with,comma"}', NULL, 'a:1 b:2'),
  (7, 'null', 'null', '\x00', '{1,2}', '{a}', '<a>1</a>', ''),
  (8, '[]', '[]', '\x00ff10', '{2}', '{b}', '<c>x</c>', 'cat');

CREATE TABLE zoo_net (id integer PRIMARY KEY, addr inet, net cidr, price money, spot point);
INSERT INTO zoo_net VALUES
  (1, '192.168.0.1', '192.168.0.0/24', '$12.50', '(1,2)'),
  (2, '::1', '10.0.0.0/8', '$0.00', '(0,0)'),
  (3, NULL, NULL, NULL, NULL),
  (4, '10.0.0.1/8', '10.0.0.0/8', '$12.50', '(1,2)'),
  (5, '192.168.0.1', '2001:db8::/32', '-$1.25', '(-1.5,2.25)'),
  (6, '::ffff:1.2.3.4', '192.168.0.0/24', '$1,000.00', NULL),
  (7, '192.168.0.1', NULL, '$12.50', '(0,0)');

CREATE TABLE zoo_generated (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a integer NOT NULL, b integer,
  total integer GENERATED ALWAYS AS (a + b) STORED);
INSERT INTO zoo_generated (a, b) VALUES (1, 2), (2, 1), (3, NULL), (1, 2), (4, 4), (0, 0), (3, NULL);

-- ---------------------------------------------------------------------------------- data
CREATE TABLE zoo_hostile_text (id integer PRIMARY KEY, name text, note text);
INSERT INTO zoo_hostile_text VALUES
  (1, 'plain', 'nothing odd'),
  (2, '[/]', '[bold]x[/bold]'),
  (3, '[bold]x[/bold]', '[/]'),
  (4, E'\x1b]2;PWNED\x07', 'title change'),
  (5, E'carriage\rreturn', E'tab\tbed'),
  (6, '漢字かな交じり文', '🦆 duck 🚀'),
  (7, '🦆 duck 🚀', NULL),
  (8, 'Zebra', 'zebra'),
  (9, 'zebra', E'line one\nline two'),
  (10, '100% [red]', E'\x1b[31mred\x1b[0m'),
  (11, NULL, ''),
  (12, '[/]', E'c1\u009bcontrol');

-- planner statistics, so that row estimates have something to show
ANALYZE;
