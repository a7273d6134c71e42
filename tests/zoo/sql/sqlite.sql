-- The schema zoo on SQLite: hostile but legal names, keys, types and data, written the way
-- other tools write them (date texts without microseconds, 0/1 booleans, numbers as text).
-- Conventions the tests rely on (tests/zoo/catalogue.py describes each table):
--   * the first row of every table (in key order) is plain and valid;
--   * no row holds a key in the range the tests use for their own rows (9000 and up, 'zz');
--   * statements end with a semicolon at the end of a line.

-- ---------------------------------------------------------------------------------- names
CREATE TABLE "order" ("id" INTEGER PRIMARY KEY, "select" TEXT, "group" INTEGER);
INSERT INTO "order" VALUES
  (1, 'first', 10), (2, 'second', NULL), (3, 'first', 10), (4, NULL, 20),
  (5, 'Second', 10), (6, 'first', NULL), (7, 'third', 20);

CREATE TABLE "group" ("id" INTEGER PRIMARY KEY, "order" INTEGER REFERENCES "order" ("id"), "select" TEXT NOT NULL);
INSERT INTO "group" VALUES (1, 1, 'alpha'), (2, 1, 'beta'), (3, NULL, 'alpha'), (4, 3, 'gamma'),
  (5, 7, 'beta'), (6, NULL, 'delta'), (7, 2, 'alpha');

CREATE TABLE "MixedCase" ("Id" INTEGER PRIMARY KEY, "Name" TEXT NOT NULL,
  "ReportsTo" INTEGER REFERENCES "MixedCase" ("Id"), "ParentId" INTEGER REFERENCES "MixedCase" ("Id"));
INSERT INTO "MixedCase" VALUES (1, 'Boss', NULL, NULL), (2, 'Ann', 1, 1), (3, 'Bob', 1, NULL), (4, 'ann', 2, 1),
  (5, 'Cy', NULL, 5), (6, 'Bob', 2, 2), (7, 'Dee', 5, 2);

CREATE TABLE "zoo people" ("person no" INTEGER PRIMARY KEY, "id" TEXT, "first name" TEXT, "名前" TEXT, "café" TEXT);
INSERT INTO "zoo people" VALUES
  (1, 'P-1', 'Ada', 'エイダ', 'noir'), (2, 'P-2', 'Grace', 'グレース', 'crème'),
  (3, 'P-1', 'ada', NULL, 'noir'), (4, NULL, 'Édith', 'エディット', NULL),
  (5, 'P-5', 'Zoë', '山田', 'au lait'), (6, 'P-6', NULL, '山田', 'crème'), (7, 'P-7', 'Ada', 'エイダ', 'noir');

CREATE TABLE "名簿" ("番号" INTEGER PRIMARY KEY, "名前" TEXT NOT NULL, "人" INTEGER REFERENCES "zoo people" ("person no"));
INSERT INTO "名簿" VALUES (1, '一郎', 1), (2, '二郎', 2), (3, '三郎', NULL), (4, '一郎', 5),
  (5, '花子', 1), (6, 'Hanako', NULL), (7, '二郎', 7);

-- ---------------------------------------------------------------------------------- keys
CREATE TABLE country_code (country TEXT, code TEXT, label TEXT, PRIMARY KEY (country, code));
INSERT INTO country_code VALUES ('us', '1', 'United States one'), ('us', '2', 'United States two'), ('fr', '1', 'France one');

CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO tag VALUES (1, 'red'), (2, 'blue');

CREATE TABLE cc_tag (country TEXT, code TEXT, tag_id INT REFERENCES tag (id),
  PRIMARY KEY (country, code, tag_id), FOREIGN KEY (country, code) REFERENCES country_code (country, code));
INSERT INTO cc_tag VALUES ('fr', '1', 1), ('us', '1', 1), ('us', '2', 1), ('us', '2', 2);

CREATE TABLE zoo_route (origin TEXT, dest TEXT, miles INTEGER, PRIMARY KEY (origin, dest));
INSERT INTO zoo_route VALUES ('cdg', 'jfk', 3626), ('cdg', 'lhr', 216), ('ams', 'jfk', 3639), ('ams', 'lhr', 230);

CREATE TABLE zoo_flight (id INTEGER PRIMARY KEY, origin TEXT NOT NULL, dest TEXT NOT NULL, number TEXT,
  FOREIGN KEY (origin, dest) REFERENCES zoo_route (origin, dest));
INSERT INTO zoo_flight VALUES (1, 'cdg', 'jfk', 'AF1'), (2, 'cdg', 'jfk', 'AF3'), (3, 'ams', 'jfk', 'KL641'),
  (4, 'ams', 'lhr', 'KL1001');

CREATE TABLE zoo_actor (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO zoo_actor VALUES (1, 'Ann'), (2, 'Bob'), (3, 'Cy'), (4, 'Dee');

CREATE TABLE zoo_film (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
INSERT INTO zoo_film VALUES (1, 'Alpha'), (2, 'Beta'), (3, 'Gamma');

CREATE TABLE zoo_role (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO zoo_role VALUES (1, 'lead'), (2, 'extra'), (3, 'stunt');

CREATE TABLE zoo_credit (actor_id INTEGER REFERENCES zoo_actor (id), film_id INTEGER REFERENCES zoo_film (id),
  role_id INTEGER REFERENCES zoo_role (id), billing INTEGER, PRIMARY KEY (actor_id, film_id, role_id));
INSERT INTO zoo_credit VALUES (1, 1, 1, 1), (1, 1, 3, NULL), (2, 1, 2, 2), (2, 2, 1, 1), (3, 2, 2, NULL),
  (3, 3, 1, 1), (4, 3, 3, 2);

CREATE TABLE zoo_club (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO zoo_club VALUES (1, 'Chess'), (2, 'Go'), (3, 'Bridge');

CREATE TABLE zoo_membership (club_id INTEGER NOT NULL REFERENCES zoo_club (id),
  actor_id INTEGER NOT NULL REFERENCES zoo_actor (id), qty INTEGER NOT NULL DEFAULT 1,
  added_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (club_id, actor_id));
INSERT INTO zoo_membership (club_id, actor_id) VALUES (1, 1), (1, 2), (2, 1);
INSERT INTO zoo_membership VALUES (2, 3, 4, '2021-02-01 00:00:00'), (3, 4, 1, '2016-07-04');

-- a table without a primary key; rows 3 and 4 are identical
CREATE TABLE zoo_log (seq INTEGER, level TEXT, message TEXT);
INSERT INTO zoo_log VALUES (1, 'info', 'started'), (2, 'warn', 'disk'), (3, 'info', 'tick'), (3, 'info', 'tick'),
  (4, NULL, 'tock'), (5, 'warn', NULL), (6, 'info', 'started'), (7, 'error', '[/]');

CREATE VIEW zoo_people_view AS SELECT "person no", "first name", "名前" FROM "zoo people";

-- ---------------------------------------------------------------------------------- types
CREATE TABLE zoo_numbers (id INTEGER PRIMARY KEY, n_int INTEGER, n_big BIGINT, flag BOOLEAN, n_real REAL,
  n_double DOUBLE PRECISION, price NUMERIC(10, 2));
INSERT INTO zoo_numbers VALUES
  (1, 1, 1, 1, 0.5, 0.1, 12.5),
  (2, 1, 9223372036854775807, 0, 0.5, 0.1, '12.50'),
  (3, NULL, -9223372036854775808, NULL, NULL, NULL, NULL),
  (4, -7, 9223372036854775807, 1, 2.2, -2.5, 0),
  (5, 1, NULL, 0, 2.2, 1e300, '12.50'),
  (6, 0, 0, 1, -1.25, 0.1, -0.01),
  (7, NULL, 1, NULL, 0.5, NULL, 12.5),
  (8, -7, 0, 0, NULL, -2.5, 99999999.99);

CREATE TABLE zoo_texts (id INTEGER PRIMARY KEY, name TEXT, t_char CHAR(6), t_varchar VARCHAR(20),
  t_enum VARCHAR(5) CHECK (t_enum IN ('sad', 'ok', 'happy')), t_uuid TEXT);
INSERT INTO zoo_texts VALUES
  (1, 'a', 'ab', 'x', 'ok', '00000000-0000-0000-0000-000000000001'),
  (2, 'A', 'ab    ', 'X', 'sad', '00000000-0000-0000-0000-000000000002'),
  (3, 'á', NULL, 'x', NULL, NULL),
  (4, 'B', 'b', NULL, 'happy', '00000000-0000-0000-0000-000000000001'),
  (5, 'b', 'ab', 'y', 'ok', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
  (6, NULL, 'b', 'x', 'sad', '00000000-0000-0000-0000-000000000002'),
  (7, 'a', 'Ab', 'Y', 'ok', NULL),
  (8, 'á', 'ab', 'x', 'happy', 'ffffffff-ffff-ffff-ffff-ffffffffffff');

CREATE TABLE zoo_times (id INTEGER PRIMARY KEY, d DATE, ts DATETIME, ts_us DATETIME, ts_at TIMESTAMP, t TIME);
INSERT INTO zoo_times VALUES
  (1, '2021-02-01', '2021-02-01 00:00:00.000000', '2021-02-01 00:00:00.123456', '2021-02-01 10:00:00.000000', '10:00:00.000000'),
  (2, '2021-02-01', '2021-02-01 00:00:00', '2021-02-01 00:00:00.123456', '2021-02-01 10:00:00', '10:00:00'),
  (3, NULL, '2016-07-04', NULL, NULL, NULL),
  (4, '2016-07-04', '2021-02-01T10:00:00', '2021-02-01 00:00:00.5', '2021-02-01T10:00:00', '10:00'),
  (5, '2021-02-01', '2021-02-01 00:00:00', '2016-07-04 23:59:59.999999', '2021-02-01 10:00:00+02:00', '23:59:59'),
  (6, '2016-07-04', NULL, '2021-02-01 00:00:00.123456', '2021-02-01 10:00:00', NULL),
  (7, NULL, '2021-02-01 00:00:00', NULL, '2016-07-04 12:00:00', '10:00:00'),
  (8, '2021-02-01', '2016-07-04', '2021-02-01 00:00:00.123456', '2021-02-01 10:00:00', '10:00:00');

CREATE TABLE zoo_docs (id INTEGER PRIMARY KEY, doc JSON, payload BLOB);
INSERT INTO zoo_docs VALUES
  (1, '{"a": 1}', X'00FF10'),
  (2, '[1, 2, 3]', X''),
  (3, NULL, NULL),
  (4, '{"a": 1}', X'00FF10'),
  (5, '"text"', X'DEADBEEF'),
  (6, '{"deep": {"x": [1, {"y": null}]}, "big": 9007199254740993}', NULL),
  (7, 'null', X'00'),
  (8, '[]', X'00FF10');

CREATE TABLE zoo_generated (id INTEGER PRIMARY KEY, a INTEGER NOT NULL, b INTEGER,
  total INTEGER GENERATED ALWAYS AS (a + b) STORED, half REAL GENERATED ALWAYS AS (a / 2.0) VIRTUAL);
INSERT INTO zoo_generated (id, a, b) VALUES (1, 1, 2), (2, 2, 1), (3, 3, NULL), (4, 1, 2), (5, 4, 4), (6, 0, 0), (7, 3, NULL);

-- ---------------------------------------------------------------------------------- data
CREATE TABLE zoo_hostile_text (id INTEGER PRIMARY KEY, name TEXT, note TEXT);
INSERT INTO zoo_hostile_text VALUES
  (1, 'plain', 'nothing odd'),
  (2, '[/]', '[bold]x[/bold]'),
  (3, '[bold]x[/bold]', '[/]'),
  (4, char(27) || ']2;PWNED' || char(7), 'title change'),
  (5, 'carriage' || char(13) || 'return', 'tab' || char(9) || 'bed'),
  (6, '漢字かな交じり文', '🦆 duck 🚀'),
  (7, '🦆 duck 🚀', NULL),
  (8, 'Zebra', 'zebra'),
  (9, 'zebra', 'line one' || char(10) || 'line two'),
  (10, '100% [red]', char(27) || '[31mred' || char(27) || '[0m'),
  (11, NULL, ''),
  (12, '[/]', 'c1' || char(155) || 'control');

-- unparseable values: another tool wrote what the column type cannot read; row 1 is fine
CREATE TABLE zoo_bad (id INTEGER PRIMARY KEY, d DATE, ts DATETIME, doc JSON, amount NUMERIC, ratio REAL);
INSERT INTO zoo_bad VALUES
  (1, '2021-02-01', '2021-02-01 00:00:00', '{"ok": true}', 1.5, 0.25),
  (2, '0000-00-00', '2021-02-01 00:00:00', '{"ok": true}', 1.5, 0.25),
  (3, '2021-02-01', '9999-12-31T23:59:60', '{"ok": true}', 1.5, 0.25),
  (4, '2021-02-01', '2021-02-01 00:00:00', '{not json', 1.5, 0.25),
  (5, '2021-02-01', '2021-02-01 00:00:00', '{"ok": true}', 'abc', 0.25),
  (6, '2021-02-01', '2021-02-01 00:00:00', '{"ok": true}', 1.5, 'nan'),
  (7, '2021-02-01', '2021-02-01 00:00:00', '{"ok": false}', 2.5, 0.5);
