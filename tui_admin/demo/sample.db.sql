-- sqladmin-tui demo database: the schema of tui_admin/demo/models.py, with the SQLModel
-- tutorial's heroes. Build it with: sqlite3 demo.db < sample.db.sql
PRAGMA foreign_keys = ON;
BEGIN;

CREATE TABLE team (
	name VARCHAR(50) NOT NULL,
	headquarters VARCHAR(100) NOT NULL,
	id INTEGER NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_team_name ON team (name);

CREATE TABLE hero (
	name VARCHAR(50) NOT NULL,
	secret_name VARCHAR(100) NOT NULL,
	age INTEGER,
	team_id INTEGER,
	id INTEGER NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(team_id) REFERENCES team (id)
);
CREATE INDEX ix_hero_team_id ON hero (team_id);
CREATE INDEX ix_hero_name ON hero (name);
CREATE INDEX ix_hero_age ON hero (age);

CREATE TABLE heroteamlink (
	team_id INTEGER NOT NULL,
	hero_id INTEGER NOT NULL,
	role VARCHAR(30) NOT NULL,
	PRIMARY KEY (team_id, hero_id),
	FOREIGN KEY(team_id) REFERENCES team (id),
	FOREIGN KEY(hero_id) REFERENCES hero (id)
);
-- The composite key serves team → heroes; this serves hero → teams.
CREATE INDEX ix_heroteamlink_hero_id ON heroteamlink (hero_id);

INSERT INTO team (id, name, headquarters) VALUES
	(1, 'Preventers', 'Sharp Tower'),
	(2, 'Z-Force', 'Sister Margaret''s Bar'),
	(3, 'Wakaland', 'Wakaland Capital City'),
	(4, 'Avengers of the Sea', 'Atlantis Dome'),
	(5, 'Night Watch', 'Old Lighthouse');

INSERT INTO hero (id, name, secret_name, age, team_id) VALUES
	(1, 'Deadpond', 'Dive Wilson', NULL, 2),
	(2, 'Spider-Boy', 'Pedro Parqueador', NULL, 1),
	(3, 'Rusty-Man', 'Tommy Sharp', 48, 1),
	(4, 'Tarantula', 'Natalia Roman-on', 32, 1),
	(5, 'Black Lion', 'Trevor Challa', 35, 3),
	(6, 'Dr. Weird', 'Steve Weird', 36, NULL),
	(7, 'Captain North America', 'Esteban Rogelios', 93, 1),
	(8, 'Princess Sure-E', 'Sure-E', 28, 3),
	(9, 'Aqua-Lad', 'Arthur Curri', 22, 4),
	(10, 'Mermaid Mia', 'Mia Marino', NULL, 4),
	(11, 'The Invisible Intern', 'Ian Visser', 19, NULL),
	(12, 'Owl-Eye', 'Olivia Hoot', 41, 5),
	(13, 'Lantern Lou', 'Louis Flick', 57, 5),
	(14, 'Captain Procrastination', 'Paul Later', NULL, NULL),
	(15, 'Quantum Quill', 'Quincy Penn', 30, 2);

INSERT INTO heroteamlink (team_id, hero_id, role) VALUES
	(1, 2, 'member'),
	(1, 3, 'lead'),
	(1, 4, 'member'),
	(1, 7, 'reserve'),
	(2, 1, 'lead'),
	(2, 15, 'member'),
	(2, 6, 'reserve'),
	(3, 5, 'lead'),
	(3, 8, 'member'),
	(3, 2, 'reserve'),
	(4, 9, 'lead'),
	(4, 10, 'member'),
	(4, 1, 'reserve'),
	(5, 12, 'lead'),
	(5, 13, 'member'),
	(5, 11, 'reserve'),
	(1, 5, 'reserve'),
	(2, 3, 'member'),
	(3, 7, 'member'),
	(5, 14, 'member');

COMMIT;
