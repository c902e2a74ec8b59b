-- Time entries (Redmine's TimeEntry): hours a user spent on a project, optionally on one of its
-- issues, with an activity (a TimeEntryActivity row of `enumerations`, shared or a project's own
-- override). Columns, types, NULL-ness and index names follow the schema Redmine's migrations leave
-- on PostgreSQL (032_create_time_entries and later: comments widened to 1024, author_id added);
-- tyear/tmonth/tweek are spent_on's year, month and ISO week, kept for reports as Redmine does.
-- Their custom values are `custom_values` rows with customized_type 'TimeEntry'.
-- Deliberate differences:
--   * Foreign keys, which Redmine leaves to its models, with no ON DELETE action: a project
--     (Project has_many :time_entries, dependent: :destroy) and an issue (Issue has_many
--     :time_entries, dependent: :destroy, or nullify/reassign when an issue is deleted through the
--     API with `todo`) are deleted by services that remove or move the entries and their custom
--     values first; an activity in use cannot be deleted (Redmine reassigns or refuses).
--     user_id and author_id have none: Redmine moves them to the Anonymous user when a user is
--     deleted.
--   * One index for Kanri's default list order (newest day first), marked "Kanri:" below.

CREATE TABLE time_entries (
  id serial PRIMARY KEY,
  project_id integer NOT NULL REFERENCES projects (id),
  author_id integer,
  user_id integer NOT NULL,
  issue_id integer REFERENCES issues (id),
  hours double precision NOT NULL,
  comments varchar(1024),
  activity_id integer NOT NULL REFERENCES enumerations (id),
  spent_on date NOT NULL,
  tyear integer NOT NULL,
  tmonth integer NOT NULL,
  tweek integer NOT NULL,
  created_on timestamp NOT NULL,
  updated_on timestamp NOT NULL
);

CREATE INDEX time_entries_project_id ON time_entries (project_id);
CREATE INDEX time_entries_issue_id ON time_entries (issue_id);
CREATE INDEX index_time_entries_on_activity_id ON time_entries (activity_id);
CREATE INDEX index_time_entries_on_user_id ON time_entries (user_id);
CREATE INDEX index_time_entries_on_created_on ON time_entries (created_on);
-- Kanri: the list's default order (spent_on DESC, created_on DESC) read in index order, one page at a time.
CREATE INDEX index_time_entries_on_spent_on_and_created_on ON time_entries (spent_on, created_on);
