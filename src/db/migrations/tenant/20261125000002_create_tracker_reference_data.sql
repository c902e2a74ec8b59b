-- Tracker reference data: issue statuses, trackers, enumerations, roles and workflows.
-- Table names, column names, types and defaults follow Redmine's schema (as left by its
-- migrations up to 7.0) so rows can be copied to and from a Redmine database.
-- Deliberate differences:
--   * roles.permissions and roles.settings are jsonb (Redmine: YAML in text). permissions is a
--     JSON array of permission symbols without the colon, e.g. ["view_issues", "add_issues"];
--     settings is an object (permissions_all_trackers, permissions_tracker_ids). Both are NOT NULL
--     with an empty default, where Redmine lets them be NULL and reads NULL as empty.
--   * Foreign keys, which Redmine leaves to its models. workflows.old_status_id/new_status_id have
--     none: Redmine stores 0 there (old_status_id 0 = statuses allowed for a new issue,
--     new_status_id 0 on WorkflowPermission rows), so deleting a status must delete its workflow
--     rows in the service, as Redmine's IssueStatus#delete_workflow_rules does.

CREATE TABLE issue_statuses (
  id serial PRIMARY KEY,
  name varchar(30) NOT NULL DEFAULT '',
  description varchar,
  is_closed boolean NOT NULL DEFAULT false,
  position integer,
  default_done_ratio integer
);

CREATE INDEX index_issue_statuses_on_position ON issue_statuses (position);
CREATE INDEX index_issue_statuses_on_is_closed ON issue_statuses (is_closed);

CREATE TABLE trackers (
  id serial PRIMARY KEY,
  name varchar(30) NOT NULL DEFAULT '',
  description varchar,
  position integer,
  is_in_roadmap boolean NOT NULL DEFAULT true,
  fields_bits integer DEFAULT 0,
  -- An issue status in use as a tracker's default cannot be deleted (IssueStatus#check_integrity).
  default_status_id integer REFERENCES issue_statuses (id),
  private_by_default boolean NOT NULL DEFAULT false
);

-- One table for IssuePriority, TimeEntryActivity and DocumentCategory (Rails single-table
-- inheritance on `type`). Rows with project_id are a project's overrides of the shared row
-- named by parent_id.
CREATE TABLE enumerations (
  id serial PRIMARY KEY,
  name varchar(30) NOT NULL DEFAULT '',
  position integer,
  is_default boolean NOT NULL DEFAULT false,
  type varchar,
  active boolean NOT NULL DEFAULT true,
  project_id integer,
  -- acts_as_tree destroys a shared enumeration's project overrides with it.
  parent_id integer REFERENCES enumerations (id) ON DELETE CASCADE,
  position_name varchar(30)
);

CREATE INDEX index_enumerations_on_project_id ON enumerations (project_id);
CREATE INDEX index_enumerations_on_id_and_type ON enumerations (id, type);

-- builtin: 0 = a givable role, 1 = Non member, 2 = Anonymous.
CREATE TABLE roles (
  id serial PRIMARY KEY,
  name varchar(255) NOT NULL DEFAULT '',
  position integer,
  assignable boolean DEFAULT true,
  builtin integer NOT NULL DEFAULT 0,
  permissions jsonb NOT NULL DEFAULT '[]'::jsonb,
  issues_visibility varchar(30) NOT NULL DEFAULT 'default',
  users_visibility varchar(30) NOT NULL DEFAULT 'members_of_visible_projects',
  time_entries_visibility varchar(30) NOT NULL DEFAULT 'all',
  all_roles_managed boolean NOT NULL DEFAULT true,
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  default_time_entry_activity_id integer REFERENCES enumerations (id) ON DELETE SET NULL
);

-- type 'WorkflowTransition': role may move an issue of tracker from old_status_id to
-- new_status_id (assignee/author: only when the user is the issue's assignee/author).
-- type 'WorkflowPermission': for role and tracker, field_name is 'readonly' or 'required' (rule)
-- while the issue is in old_status_id.
CREATE TABLE workflows (
  id serial PRIMARY KEY,
  tracker_id integer NOT NULL DEFAULT 0 REFERENCES trackers (id) ON DELETE CASCADE,
  old_status_id integer NOT NULL DEFAULT 0,
  new_status_id integer NOT NULL DEFAULT 0,
  role_id integer NOT NULL DEFAULT 0 REFERENCES roles (id) ON DELETE CASCADE,
  assignee boolean NOT NULL DEFAULT false,
  author boolean NOT NULL DEFAULT false,
  type varchar(30),
  field_name varchar(30),
  rule varchar(30)
);

CREATE INDEX wkfs_role_tracker_old_status ON workflows (role_id, tracker_id, old_status_id);
CREATE INDEX index_workflows_on_old_status_id ON workflows (old_status_id);
CREATE INDEX index_workflows_on_role_id ON workflows (role_id);
CREATE INDEX index_workflows_on_new_status_id ON workflows (new_status_id);
CREATE INDEX index_workflows_on_tracker_id ON workflows (tracker_id);
