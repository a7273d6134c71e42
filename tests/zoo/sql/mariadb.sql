-- The schema zoo on MariaDB, in MariaDB's own DDL and literal formats.
-- Conventions the tests rely on (tests/zoo/catalogue.py describes each table):
--   * the first row of every table (in key order) is plain and valid;
--   * no row holds a key in the range the tests use for their own rows (9000 and up, 'zz');
--   * statements end with a semicolon at the end of a line;
--   * everything above the "@create" line drops what the zoo creates (run again at teardown).
SET FOREIGN_KEY_CHECKS = 0;
DROP VIEW IF EXISTS zoo_people_view;
DROP TABLE IF EXISTS `order`, `group`, `MixedCase`, `zoo people`, `名簿`, country_code, tag, cc_tag, zoo_route,
  zoo_flight, zoo_actor, zoo_film, zoo_role, zoo_credit, zoo_club, zoo_membership, zoo_log, zoo_numbers, zoo_texts,
  zoo_times, zoo_docs, zoo_generated, zoo_hostile_text;
SET FOREIGN_KEY_CHECKS = 1;
-- @create

-- ---------------------------------------------------------------------------------- names
CREATE TABLE `order` (`id` INT PRIMARY KEY, `select` TEXT, `group` INT);
INSERT INTO `order` VALUES
  (1, 'first', 10), (2, 'second', NULL), (3, 'first', 10), (4, NULL, 20),
  (5, 'Second', 10), (6, 'first', NULL), (7, 'third', 20);

CREATE TABLE `group` (`id` INT PRIMARY KEY, `order` INT, `select` TEXT NOT NULL,
  FOREIGN KEY (`order`) REFERENCES `order` (`id`));
INSERT INTO `group` VALUES (1, 1, 'alpha'), (2, 1, 'beta'), (3, NULL, 'alpha'), (4, 3, 'gamma'),
  (5, 7, 'beta'), (6, NULL, 'delta'), (7, 2, 'alpha');

CREATE TABLE `MixedCase` (`Id` INT PRIMARY KEY, `Name` VARCHAR(40) NOT NULL, `ReportsTo` INT, `ParentId` INT,
  FOREIGN KEY (`ReportsTo`) REFERENCES `MixedCase` (`Id`), FOREIGN KEY (`ParentId`) REFERENCES `MixedCase` (`Id`));
INSERT INTO `MixedCase` VALUES (1, 'Boss', NULL, NULL), (2, 'Ann', 1, 1), (3, 'Bob', 1, NULL), (4, 'ann', 2, 1),
  (5, 'Cy', NULL, 5), (6, 'Bob', 2, 2), (7, 'Dee', 5, 2);

CREATE TABLE `zoo people` (`person no` INT PRIMARY KEY, `id` VARCHAR(10), `first name` VARCHAR(40), `名前` VARCHAR(40),
  `café` VARCHAR(40));
INSERT INTO `zoo people` VALUES
  (1, 'P-1', 'Ada', 'エイダ', 'noir'), (2, 'P-2', 'Grace', 'グレース', 'crème'),
  (3, 'P-1', 'ada', NULL, 'noir'), (4, NULL, 'Édith', 'エディット', NULL),
  (5, 'P-5', 'Zoë', '山田', 'au lait'), (6, 'P-6', NULL, '山田', 'crème'), (7, 'P-7', 'Ada', 'エイダ', 'noir');

CREATE TABLE `名簿` (`番号` INT PRIMARY KEY, `名前` VARCHAR(40) NOT NULL, `人` INT,
  FOREIGN KEY (`人`) REFERENCES `zoo people` (`person no`));
INSERT INTO `名簿` VALUES (1, '一郎', 1), (2, '二郎', 2), (3, '三郎', NULL), (4, '一郎', 5),
  (5, '花子', 1), (6, 'Hanako', NULL), (7, '二郎', 7);

-- ---------------------------------------------------------------------------------- keys
CREATE TABLE country_code (country VARCHAR(10), code VARCHAR(10), label TEXT, PRIMARY KEY (country, code));
INSERT INTO country_code VALUES ('us', '1', 'United States one'), ('us', '2', 'United States two'), ('fr', '1', 'France one');

CREATE TABLE tag (id INT PRIMARY KEY, name TEXT);
INSERT INTO tag VALUES (1, 'red'), (2, 'blue');

CREATE TABLE cc_tag (country VARCHAR(10), code VARCHAR(10), tag_id INT,
  PRIMARY KEY (country, code, tag_id), FOREIGN KEY (tag_id) REFERENCES tag (id),
  FOREIGN KEY (country, code) REFERENCES country_code (country, code));
INSERT INTO cc_tag VALUES ('fr', '1', 1), ('us', '1', 1), ('us', '2', 1), ('us', '2', 2);

CREATE TABLE zoo_route (origin VARCHAR(3), dest VARCHAR(3), miles INT, PRIMARY KEY (origin, dest));
INSERT INTO zoo_route VALUES ('cdg', 'jfk', 3626), ('cdg', 'lhr', 216), ('ams', 'jfk', 3639), ('ams', 'lhr', 230);

CREATE TABLE zoo_flight (id INT PRIMARY KEY, origin VARCHAR(3) NOT NULL, dest VARCHAR(3) NOT NULL, number VARCHAR(10),
  FOREIGN KEY (origin, dest) REFERENCES zoo_route (origin, dest));
INSERT INTO zoo_flight VALUES (1, 'cdg', 'jfk', 'AF1'), (2, 'cdg', 'jfk', 'AF3'), (3, 'ams', 'jfk', 'KL641'),
  (4, 'ams', 'lhr', 'KL1001');

CREATE TABLE zoo_actor (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL);
INSERT INTO zoo_actor VALUES (1, 'Ann'), (2, 'Bob'), (3, 'Cy'), (4, 'Dee');

CREATE TABLE zoo_film (id INT PRIMARY KEY, title VARCHAR(40) NOT NULL);
INSERT INTO zoo_film VALUES (1, 'Alpha'), (2, 'Beta'), (3, 'Gamma');

CREATE TABLE zoo_role (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL);
INSERT INTO zoo_role VALUES (1, 'lead'), (2, 'extra'), (3, 'stunt');

CREATE TABLE zoo_credit (actor_id INT, film_id INT, role_id INT, billing INT, PRIMARY KEY (actor_id, film_id, role_id),
  FOREIGN KEY (actor_id) REFERENCES zoo_actor (id), FOREIGN KEY (film_id) REFERENCES zoo_film (id),
  FOREIGN KEY (role_id) REFERENCES zoo_role (id));
INSERT INTO zoo_credit VALUES (1, 1, 1, 1), (1, 1, 3, NULL), (2, 1, 2, 2), (2, 2, 1, 1), (3, 2, 2, NULL),
  (3, 3, 1, 1), (4, 3, 3, 2);

CREATE TABLE zoo_club (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL);
INSERT INTO zoo_club VALUES (1, 'Chess'), (2, 'Go'), (3, 'Bridge');

CREATE TABLE zoo_membership (club_id INT NOT NULL, actor_id INT NOT NULL, qty INT NOT NULL DEFAULT 1,
  added_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (club_id, actor_id),
  FOREIGN KEY (club_id) REFERENCES zoo_club (id), FOREIGN KEY (actor_id) REFERENCES zoo_actor (id));
INSERT INTO zoo_membership (club_id, actor_id) VALUES (1, 1), (1, 2), (2, 1);
INSERT INTO zoo_membership VALUES (2, 3, 4, '2021-02-01 00:00:00'), (3, 4, 1, '2016-07-04 00:00:00');

-- a table without a primary key; rows 3 and 4 are identical
CREATE TABLE zoo_log (seq INT, level VARCHAR(10), message TEXT);
INSERT INTO zoo_log VALUES (1, 'info', 'started'), (2, 'warn', 'disk'), (3, 'info', 'tick'), (3, 'info', 'tick'),
  (4, NULL, 'tock'), (5, 'warn', NULL), (6, 'info', 'started'), (7, 'error', '[/]');

CREATE VIEW zoo_people_view AS SELECT `person no`, `first name`, `名前` FROM `zoo people`;

-- ---------------------------------------------------------------------------------- types
CREATE TABLE zoo_numbers (id INT PRIMARY KEY, n_int INT, n_big BIGINT, n_ubig BIGINT UNSIGNED, flag BOOLEAN,
  n_real FLOAT, n_double DOUBLE, price DECIMAL(10, 2), n_year YEAR);
INSERT INTO zoo_numbers VALUES
  (1, 1, 1, 1, TRUE, 0.5, 0.1, 12.5, 2021),
  (2, 1, 9223372036854775807, 18446744073709551615, FALSE, 0.1, 0.1, '12.50', 1999),
  (3, NULL, -9223372036854775808, NULL, NULL, NULL, NULL, NULL, NULL),
  (4, -7, 9223372036854775807, 0, TRUE, 2.2, -2.5, 0, 2021),
  (5, 1, NULL, 18446744073709551615, FALSE, 2.2, 1e300, '12.50', 2155),
  (6, 0, 0, 1, TRUE, 0.1, 0.1, -0.01, NULL),
  (7, NULL, 1, NULL, NULL, 0.5, NULL, 12.5, 1999),
  (8, -7, 0, 0, FALSE, NULL, -2.5, 99999999.99, 2021);

-- t_set: a set is unordered in Python, so rows hold sets of several members (a value bound in
-- hash order, 'b,a', matches nothing on most hash seeds; with six members, on nearly all)
CREATE TABLE zoo_texts (id INT PRIMARY KEY, name TEXT, t_char CHAR(6), t_varchar VARCHAR(20),
  t_enum ENUM('sad', 'ok', 'happy'), t_uuid CHAR(36), t_set SET('a', 'b', 'c', 'd', 'e', 'f'),
  t_latin1 VARCHAR(20) CHARACTER SET latin1, t_bin VARCHAR(20) COLLATE utf8mb4_bin);
INSERT INTO zoo_texts VALUES
  (1, 'a', 'ab', 'x', 'ok', '00000000-0000-0000-0000-000000000001', 'a,b,c,d,e,f', 'plain', 'a'),
  (2, 'A', 'ab    ', 'X', 'sad', '00000000-0000-0000-0000-000000000002', 'a,b', 'café', 'A'),
  (3, 'á', NULL, 'x', NULL, NULL, NULL, NULL, NULL),
  (4, 'B', 'b', NULL, 'happy', '00000000-0000-0000-0000-000000000001', 'b,c', 'Café', 'á'),
  (5, 'b', 'ab', 'y', 'ok', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'a,c', 'café', 'b'),
  (6, NULL, 'b', 'x', 'sad', '00000000-0000-0000-0000-000000000002', '', 'plain', 'B'),
  (7, 'a', 'Ab', 'Y', 'ok', NULL, 'a,b', 'crème', 'a'),
  (8, 'á', 'ab', 'x', 'happy', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'a,b,c,d,e,f', 'café', 'á');

CREATE TABLE zoo_times (id INT PRIMARY KEY, d DATE, ts DATETIME, ts_us DATETIME(6), ts_at TIMESTAMP NULL DEFAULT NULL,
  t TIME, t_us TIME(6));
INSERT INTO zoo_times VALUES
  (1, '2021-02-01', '2021-02-01 00:00:00', '2021-02-01 00:00:00.123456', '2021-02-01 10:00:00', '10:00:00',
   '10:00:00.000001'),
  (2, '2021-02-01', '2021-02-01 00:00:00', '2021-02-01 00:00:00.123456', '2021-02-01 10:00:00', '10:00:00',
   '10:00:00.5'),
  (3, NULL, '2016-07-04 00:00:00', NULL, NULL, NULL, NULL),
  (4, '2016-07-04', '2021-02-01 10:00:00', '2021-02-01 00:00:00.5', '2016-07-04 00:00:00', '10:00', '-01:00:00'),
  (5, '2021-02-01', '2021-02-01 00:00:00', '2016-07-04 23:59:59.999999', '2021-02-01 10:00:00', '23:59:59',
   '838:59:59'),
  (6, '2016-07-04', NULL, '2021-02-01 00:00:00.123456', '2021-02-01 08:00:00', NULL, '10:00:00.000001'),
  (7, NULL, '2021-02-01 00:00:00', NULL, NULL, '10:00:00', NULL),
  (8, '2021-02-01', '2016-07-04 00:00:00', '2021-02-01 00:00:00.123456', '2021-02-01 10:00:00', '10:00:00',
   '10:00:00.5');

CREATE TABLE zoo_docs (id INT PRIMARY KEY, doc JSON, payload BLOB);
INSERT INTO zoo_docs VALUES
  (1, '{"a": 1}', X'00FF10'),
  (2, '[1, 2, 3]', X''),
  (3, NULL, NULL),
  (4, '{"a":1}', X'00FF10'),
  (5, '"text"', X'DEADBEEF'),
  (6, '{"deep": {"x": [1, {"y": null}]}, "big": 9007199254740993}', NULL),
  (7, 'null', X'00'),
  (8, '[]', X'00FF10');

CREATE TABLE zoo_generated (id INT AUTO_INCREMENT PRIMARY KEY, a INT NOT NULL, b INT,
  total INT AS (a + b) STORED, half DOUBLE AS (a / 2) VIRTUAL);
INSERT INTO zoo_generated (a, b) VALUES (1, 2), (2, 1), (3, NULL), (1, 2), (4, 4), (0, 0), (3, NULL);

-- ---------------------------------------------------------------------------------- data
CREATE TABLE zoo_hostile_text (id INT PRIMARY KEY, name VARCHAR(40), note TEXT);
INSERT INTO zoo_hostile_text VALUES
  (1, 'plain', 'nothing odd'),
  (2, '[/]', '[bold]x[/bold]'),
  (3, '[bold]x[/bold]', '[/]'),
  (4, CONCAT(CHAR(27 USING utf8mb4), ']2;PWNED', CHAR(7 USING utf8mb4)), 'title change'),
  (5, 'carriage\rreturn', 'tab\tbed'),
  (6, '漢字かな交じり文', '🦆 duck 🚀'),
  (7, '🦆 duck 🚀', NULL),
  (8, 'Zebra', 'zebra'),
  (9, 'zebra', 'line one\nline two'),
  (10, '100% [red]', CONCAT(CHAR(27 USING utf8mb4), '[31mred', CHAR(27 USING utf8mb4), '[0m')),
  (11, NULL, ''),
  (12, '[/]', CONCAT('c1', _utf8mb4 X'C29B', 'control'));
