-- Schema version 1 on PostgreSQL: the first release (0001_initial.sql for SQLite, made
-- with PostgreSQL's types: SERIAL keys, TIMESTAMP WITH TIME ZONE). Frozen: never edit; add a new file.

CREATE TABLE team (
	id SERIAL NOT NULL,
	name VARCHAR NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	cadence VARCHAR NOT NULL,
	cadence_weeks INTEGER,
	weekday INTEGER,
	start_time VARCHAR,
	meeting_minutes INTEGER NOT NULL,
	place VARCHAR NOT NULL,
	next_checkin_on DATE,
	enrollment INTEGER,
	version INTEGER NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (name)
);
CREATE TABLE setting (
	"key" VARCHAR NOT NULL,
	value VARCHAR NOT NULL,
	PRIMARY KEY ("key")
);
CREATE TABLE training (
	id SERIAL NOT NULL,
	audience VARCHAR NOT NULL,
	name VARCHAR NOT NULL,
	PRIMARY KEY (id)
);
CREATE INDEX ix_training_audience ON training (audience);
CREATE TABLE staff (
	id SERIAL NOT NULL,
	team_id INTEGER NOT NULL,
	name VARCHAR NOT NULL,
	role_name VARCHAR NOT NULL,
	email VARCHAR NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(team_id) REFERENCES team (id) ON DELETE CASCADE
);
CREATE INDEX ix_staff_team_id ON staff (team_id);
CREATE TABLE agendatemplateitem (
	id SERIAL NOT NULL,
	team_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	title VARCHAR NOT NULL,
	minutes INTEGER NOT NULL,
	questions VARCHAR NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(team_id) REFERENCES team (id) ON DELETE CASCADE
);
CREATE INDEX ix_agendatemplateitem_team_id ON agendatemplateitem (team_id);
CREATE TABLE meeting (
	id SERIAL NOT NULL,
	team_id INTEGER NOT NULL,
	scheduled_at TIMESTAMP WITH TIME ZONE NOT NULL,
	planned_minutes INTEGER NOT NULL,
	state VARCHAR NOT NULL,
	current_position INTEGER NOT NULL,
	running_since TIMESTAMP WITH TIME ZONE,
	started_at TIMESTAMP WITH TIME ZONE,
	ended_at TIMESTAMP WITH TIME ZONE,
	bell BOOLEAN NOT NULL,
	version INTEGER NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(team_id) REFERENCES team (id) ON DELETE CASCADE
);
CREATE INDEX ix_meeting_team_id ON meeting (team_id);
CREATE TABLE reflection (
	id SERIAL NOT NULL,
	uid VARCHAR NOT NULL,
	team_id INTEGER NOT NULL,
	reflected_on DATE NOT NULL,
	author_name VARCHAR,
	role_name VARCHAR NOT NULL,
	support_needed VARCHAR NOT NULL,
	barriers VARCHAR NOT NULL,
	state VARCHAR NOT NULL,
	submitted_at TIMESTAMP WITH TIME ZONE,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	version INTEGER NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (uid),
	FOREIGN KEY(team_id) REFERENCES team (id) ON DELETE CASCADE
);
CREATE INDEX ix_reflection_team_id ON reflection (team_id);
CREATE INDEX ix_reflection_state ON reflection (state);
CREATE INDEX ix_reflection_submitted_at ON reflection (submitted_at);
CREATE TABLE role (
	id SERIAL NOT NULL,
	team_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	name VARCHAR NOT NULL,
	audience VARCHAR NOT NULL,
	capacity_constrained BOOLEAN NOT NULL,
	fte FLOAT,
	ratio_kind VARCHAR,
	version INTEGER NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(team_id) REFERENCES team (id) ON DELETE CASCADE
);
CREATE INDEX ix_role_team_id ON role (team_id);
CREATE TABLE taskcategory (
	id SERIAL NOT NULL,
	team_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	name VARCHAR NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(team_id) REFERENCES team (id) ON DELETE CASCADE
);
CREATE INDEX ix_taskcategory_team_id ON taskcategory (team_id);
CREATE TABLE meetingattendee (
	id SERIAL NOT NULL,
	meeting_id INTEGER NOT NULL,
	name VARCHAR NOT NULL,
	role_name VARCHAR NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(meeting_id) REFERENCES meeting (id) ON DELETE CASCADE
);
CREATE INDEX ix_meetingattendee_meeting_id ON meetingattendee (meeting_id);
CREATE TABLE meetingitem (
	id SERIAL NOT NULL,
	meeting_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	title VARCHAR NOT NULL,
	planned_seconds INTEGER NOT NULL,
	spent_seconds FLOAT NOT NULL,
	questions VARCHAR NOT NULL,
	notes VARCHAR NOT NULL,
	version INTEGER NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(meeting_id) REFERENCES meeting (id) ON DELETE CASCADE
);
CREATE INDEX ix_meetingitem_meeting_id ON meetingitem (meeting_id);
CREATE TABLE reflectionevent (
	id SERIAL NOT NULL,
	reflection_id INTEGER NOT NULL,
	at TIMESTAMP WITH TIME ZONE NOT NULL,
	kind VARCHAR NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(reflection_id) REFERENCES reflection (id) ON DELETE CASCADE
);
CREATE INDEX ix_reflectionevent_reflection_id ON reflectionevent (reflection_id);
CREATE TABLE allocationrow (
	id SERIAL NOT NULL,
	reflection_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	task_type VARCHAR NOT NULL,
	ideal VARCHAR NOT NULL,
	current VARCHAR NOT NULL,
	actions VARCHAR NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(reflection_id) REFERENCES reflection (id) ON DELETE CASCADE
);
CREATE INDEX ix_allocationrow_reflection_id ON allocationrow (reflection_id);
CREATE TABLE task (
	id SERIAL NOT NULL,
	category_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	name VARCHAR NOT NULL,
	priority BOOLEAN NOT NULL,
	to_shift BOOLEAN NOT NULL,
	version INTEGER NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(category_id) REFERENCES taskcategory (id) ON DELETE CASCADE
);
CREATE INDEX ix_task_category_id ON task (category_id);
CREATE TABLE capability (
	id SERIAL NOT NULL,
	task_id INTEGER NOT NULL,
	role_id INTEGER NOT NULL,
	value VARCHAR NOT NULL,
	version INTEGER NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (task_id, role_id),
	FOREIGN KEY(task_id) REFERENCES task (id) ON DELETE CASCADE,
	FOREIGN KEY(role_id) REFERENCES role (id) ON DELETE CASCADE
);
CREATE INDEX ix_capability_role_id ON capability (role_id);
CREATE INDEX ix_capability_task_id ON capability (task_id);
CREATE TABLE shiftplan (
	id SERIAL NOT NULL,
	task_id INTEGER NOT NULL,
	roles VARCHAR NOT NULL,
	"when" VARCHAR NOT NULL,
	communication VARCHAR NOT NULL,
	staffing VARCHAR NOT NULL,
	training VARCHAR NOT NULL,
	other_steps VARCHAR NOT NULL,
	state VARCHAR NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	version INTEGER NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (task_id),
	FOREIGN KEY(task_id) REFERENCES task (id) ON DELETE CASCADE
);
CREATE TABLE action (
	id SERIAL NOT NULL,
	team_id INTEGER NOT NULL,
	created_on DATE NOT NULL,
	text VARCHAR NOT NULL,
	status VARCHAR NOT NULL,
	owner VARCHAR NOT NULL,
	due_on DATE,
	meeting_id INTEGER,
	shift_plan_id INTEGER,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	deleted_at TIMESTAMP WITH TIME ZONE,
	version INTEGER NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(team_id) REFERENCES team (id) ON DELETE CASCADE,
	FOREIGN KEY(meeting_id) REFERENCES meeting (id) ON DELETE SET NULL,
	FOREIGN KEY(shift_plan_id) REFERENCES shiftplan (id) ON DELETE SET NULL
);
CREATE INDEX ix_action_due_on ON action (due_on);
CREATE INDEX ix_action_created_on ON action (created_on);
CREATE INDEX ix_action_team_id ON action (team_id);
CREATE INDEX ix_action_status ON action (status);
CREATE TABLE actionevent (
	id SERIAL NOT NULL,
	action_id INTEGER NOT NULL,
	at TIMESTAMP WITH TIME ZONE NOT NULL,
	kind VARCHAR NOT NULL,
	field VARCHAR NOT NULL,
	old_value VARCHAR NOT NULL,
	new_value VARCHAR NOT NULL,
	meeting_id INTEGER,
	PRIMARY KEY (id),
	FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE,
	FOREIGN KEY(meeting_id) REFERENCES meeting (id) ON DELETE SET NULL
);
CREATE INDEX ix_actionevent_at ON actionevent (at);
CREATE INDEX ix_actionevent_action_id ON actionevent (action_id);
CREATE TABLE reflectionlink (
	id SERIAL NOT NULL,
	reflection_id INTEGER NOT NULL,
	field VARCHAR NOT NULL,
	action_id INTEGER NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(reflection_id) REFERENCES reflection (id) ON DELETE CASCADE,
	FOREIGN KEY(action_id) REFERENCES action (id) ON DELETE CASCADE
);
CREATE INDEX ix_reflectionlink_reflection_id ON reflectionlink (reflection_id);
