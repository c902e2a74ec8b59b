-- The core tracker: projects and their modules, trackers and members; groups; issue categories,
-- versions, issues, journals, watchers, relations, attachments; custom fields and their values;
-- saved queries. Table, column and index names, types, defaults and NULL-ness follow the schema
-- Redmine's migrations (up to 7.0) leave on PostgreSQL, so rows copy to and from a Redmine
-- database. Rails strings without :limit are unbounded `varchar` there; `:limit => n` is varchar(n).
-- Deliberate differences:
--   * YAML columns are jsonb (Kanri stores JSON, not YAML): custom_fields.possible_values (array of
--     strings), custom_fields.format_store (object), queries.filters (object: field → {operator,
--     values}), queries.column_names (array of strings), queries.sort_criteria (array of
--     [field, 'asc'|'desc'] pairs) and queries.options (object). NULL where Redmine has NULL.
--   * issues.subject is varchar(255), Redmine's validated maximum (and its MySQL column); Redmine on
--     PostgreSQL leaves it unbounded.
--   * Foreign keys, which Redmine leaves to its models. Each one states the Redmine behaviour it
--     enforces: ON DELETE CASCADE for `dependent: :delete_all`-like rows that mean nothing without
--     their parent, ON DELETE SET NULL for `dependent: :nullify` / update_all(... = NULL), and no
--     action where Redmine refuses the delete while rows refer to it. Polymorphic pairs
--     (journals.journalized_*, watchers.watchable_*, attachments.container_*,
--     custom_values.customized_*) have none, nor do author/user columns that Redmine reassigns to
--     the Anonymous user when a user is deleted, nor the nested-set parent_id columns (moving and
--     deleting subtrees is the service's work, with lft/rgt).
--   * A few indexes for Kanri's list queries, each marked "Kanri:" below.

-- status: 1 active, 5 closed, 9 archived, 10 scheduled for deletion. lft/rgt: nested set over
-- parent_id (the whole forest numbered together).
CREATE TABLE projects (
  id serial PRIMARY KEY,
  name varchar NOT NULL DEFAULT '',
  description text,
  homepage varchar DEFAULT '',
  is_public boolean NOT NULL DEFAULT true,
  parent_id integer,
  created_on timestamp,
  updated_on timestamp,
  identifier varchar,
  status integer NOT NULL DEFAULT 1,
  lft integer,
  rgt integer,
  inherit_members boolean NOT NULL DEFAULT false,
  -- FKs to versions and queries are added below, once those tables exist.
  default_version_id integer,
  -- Principal#nullify_projects_default_assigned_to.
  default_assigned_to_id integer REFERENCES users (id) ON DELETE SET NULL,
  default_issue_query_id integer
);

CREATE INDEX index_projects_on_lft ON projects (lft);
CREATE INDEX index_projects_on_rgt ON projects (rgt);
CREATE UNIQUE INDEX index_projects_on_identifier ON projects (identifier);

-- Project has_many :enabled_modules, dependent: :delete_all.
CREATE TABLE enabled_modules (
  id serial PRIMARY KEY,
  project_id integer REFERENCES projects (id) ON DELETE CASCADE,
  name varchar NOT NULL
);

CREATE INDEX enabled_modules_project_id ON enabled_modules (project_id);

-- has_and_belongs_to_many join rows go with either side.
CREATE TABLE projects_trackers (
  project_id integer NOT NULL DEFAULT 0 REFERENCES projects (id) ON DELETE CASCADE,
  tracker_id integer NOT NULL DEFAULT 0 REFERENCES trackers (id) ON DELETE CASCADE
);

CREATE INDEX projects_trackers_project_id ON projects_trackers (project_id);
CREATE UNIQUE INDEX projects_trackers_unique ON projects_trackers (project_id, tracker_id);

-- user_id is a principal: a user or a group (both live in `users`). Project#delete_all_members
-- and Principal has_many :members, dependent: :destroy.
CREATE TABLE members (
  id serial PRIMARY KEY,
  user_id integer NOT NULL DEFAULT 0 REFERENCES users (id) ON DELETE CASCADE,
  project_id integer NOT NULL DEFAULT 0 REFERENCES projects (id) ON DELETE CASCADE,
  created_on timestamp,
  mail_notification boolean NOT NULL DEFAULT false
);

CREATE INDEX index_members_on_user_id ON members (user_id);
CREATE INDEX index_members_on_project_id ON members (project_id);
CREATE UNIQUE INDEX index_members_on_user_id_and_project_id ON members (user_id, project_id);

-- inherited_from: the member_roles row (of a group's membership, or of the parent project's
-- membership when the project inherits members) this one was copied from; it goes with it
-- (MemberRole#remove_inherited_roles). A role in use cannot be deleted (Role#check_deletable).
CREATE TABLE member_roles (
  id serial PRIMARY KEY,
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  role_id integer NOT NULL REFERENCES roles (id),
  inherited_from integer REFERENCES member_roles (id) ON DELETE CASCADE
);

CREATE INDEX index_member_roles_on_member_id ON member_roles (member_id);
CREATE INDEX index_member_roles_on_role_id ON member_roles (role_id);
CREATE INDEX index_member_roles_on_inherited_from ON member_roles (inherited_from);

CREATE TABLE groups_users (
  group_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX groups_users_ids ON groups_users (group_id, user_id);
-- Kanri: every authenticated request loads the user's groups (WHERE user_id = ?), which the
-- (group_id, user_id) index cannot serve; it also keeps the cascade from users cheap.
CREATE INDEX index_groups_users_on_user_id ON groups_users (user_id);

-- Project has_many :issue_categories, dependent: :delete_all; Principal has_many
-- :issue_categories, foreign_key: 'assigned_to_id', dependent: :nullify.
CREATE TABLE issue_categories (
  id serial PRIMARY KEY,
  project_id integer NOT NULL DEFAULT 0 REFERENCES projects (id) ON DELETE CASCADE,
  name varchar(60) NOT NULL DEFAULT '',
  assigned_to_id integer REFERENCES users (id) ON DELETE SET NULL
);

CREATE INDEX issue_categories_project_id ON issue_categories (project_id);
CREATE INDEX index_issue_categories_on_assigned_to_id ON issue_categories (assigned_to_id);

-- status: open, locked, closed. sharing: none, descendants, hierarchy, tree, system.
-- Project has_many :versions, dependent: :destroy.
CREATE TABLE versions (
  id serial PRIMARY KEY,
  project_id integer NOT NULL DEFAULT 0 REFERENCES projects (id) ON DELETE CASCADE,
  name varchar NOT NULL DEFAULT '',
  description varchar DEFAULT '',
  effective_date date,
  created_on timestamp,
  updated_on timestamp,
  wiki_page_title varchar,
  status varchar DEFAULT 'open',
  sharing varchar NOT NULL DEFAULT 'none'
);

CREATE INDEX versions_project_id ON versions (project_id);
CREATE INDEX index_versions_on_sharing ON versions (sharing);

-- Version#nullify_projects_default_version.
ALTER TABLE projects
  ADD CONSTRAINT projects_default_version_id_fkey FOREIGN KEY (default_version_id)
  REFERENCES versions (id) ON DELETE SET NULL;

-- Project has_many :issues, dependent: :destroy, which also destroys each issue's journals,
-- attachments, custom values and watchers (polymorphic, no FK), so a project is deleted only after
-- its issues: issues.project_id has no ON DELETE action. Likewise trackers (Tracker#check_integrity),
-- statuses (IssueStatus#check_integrity) and priorities (Enumeration#check_integrity) in use cannot
-- be deleted. Categories and versions are nullified (dependent: :nullify), as is the assignee when
-- a user or group is deleted (User/Group#remove_references_before_destroy). author_id goes to the
-- Anonymous user instead, so it has no FK.
CREATE TABLE issues (
  id serial PRIMARY KEY,
  tracker_id integer NOT NULL REFERENCES trackers (id),
  project_id integer NOT NULL REFERENCES projects (id),
  -- Deliberate: varchar(255) where Redmine on PostgreSQL has varchar (it validates 255).
  subject varchar(255) NOT NULL DEFAULT '',
  description text,
  due_date date,
  category_id integer REFERENCES issue_categories (id) ON DELETE SET NULL,
  status_id integer NOT NULL REFERENCES issue_statuses (id),
  assigned_to_id integer REFERENCES users (id) ON DELETE SET NULL,
  priority_id integer NOT NULL REFERENCES enumerations (id),
  fixed_version_id integer REFERENCES versions (id) ON DELETE SET NULL,
  author_id integer NOT NULL,
  lock_version integer NOT NULL DEFAULT 0,
  created_on timestamp,
  updated_on timestamp,
  start_date date,
  done_ratio integer NOT NULL DEFAULT 0,
  estimated_hours double precision,
  parent_id integer,
  root_id integer,
  lft integer,
  rgt integer,
  is_private boolean NOT NULL DEFAULT false,
  closed_on timestamp
);

CREATE INDEX issues_project_id ON issues (project_id);
CREATE INDEX index_issues_on_status_id ON issues (status_id);
CREATE INDEX index_issues_on_category_id ON issues (category_id);
CREATE INDEX index_issues_on_assigned_to_id ON issues (assigned_to_id);
CREATE INDEX index_issues_on_fixed_version_id ON issues (fixed_version_id);
CREATE INDEX index_issues_on_tracker_id ON issues (tracker_id);
CREATE INDEX index_issues_on_priority_id ON issues (priority_id);
CREATE INDEX index_issues_on_author_id ON issues (author_id);
CREATE INDEX index_issues_on_created_on ON issues (created_on);
CREATE INDEX index_issues_on_root_id_and_lft_and_rgt ON issues (root_id, lft, rgt);
CREATE INDEX index_issues_on_parent_id ON issues (parent_id);
-- Kanri: the default issue list (a project's open issues, newest first, one page at a time) reads
-- this index in order instead of sorting every matching row.
CREATE INDEX index_issues_on_project_id_and_status_id_and_id ON issues (project_id, status_id, id DESC);
-- Kanri: REST clients that sync poll `updated_on>=…` and sort by updated_on.
CREATE INDEX index_issues_on_updated_on ON issues (updated_on);

-- Issue has_many :relations_from / :relations_to, dependent: :delete_all.
-- relation_type: relates, duplicates, duplicated, blocks, blocked, precedes, follows, copied_to,
-- copied_from. delay: days, for precedes/follows.
CREATE TABLE issue_relations (
  id serial PRIMARY KEY,
  issue_from_id integer NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
  issue_to_id integer NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
  relation_type varchar NOT NULL DEFAULT '',
  delay integer
);

CREATE INDEX index_issue_relations_on_issue_from_id ON issue_relations (issue_from_id);
CREATE INDEX index_issue_relations_on_issue_to_id ON issue_relations (issue_to_id);
CREATE UNIQUE INDEX index_issue_relations_on_issue_from_id_and_issue_to_id
  ON issue_relations (issue_from_id, issue_to_id);

-- journalized_type/journalized_id: polymorphic (in practice 'Issue'); no FK. user_id and
-- updated_by_id go to the Anonymous user when a user is deleted; no FK.
CREATE TABLE journals (
  id serial PRIMARY KEY,
  journalized_id integer NOT NULL DEFAULT 0,
  journalized_type varchar(30) NOT NULL DEFAULT '',
  user_id integer NOT NULL DEFAULT 0,
  notes text,
  created_on timestamp NOT NULL,
  private_notes boolean NOT NULL DEFAULT false,
  updated_on timestamp,
  updated_by_id integer
);

CREATE INDEX journals_journalized_id ON journals (journalized_id, journalized_type);
CREATE INDEX index_journals_on_user_id ON journals (user_id);
CREATE INDEX index_journals_on_journalized_id ON journals (journalized_id);
CREATE INDEX index_journals_on_created_on ON journals (created_on);

-- property: attr, cf, attachment, relation. Journal has_many :details, dependent: :delete_all.
CREATE TABLE journal_details (
  id serial PRIMARY KEY,
  journal_id integer NOT NULL DEFAULT 0 REFERENCES journals (id) ON DELETE CASCADE,
  property varchar(30) NOT NULL DEFAULT '',
  prop_key varchar(30) NOT NULL DEFAULT '',
  old_value text,
  value text
);

CREATE INDEX journal_details_journal_id ON journal_details (journal_id);

-- watchable_*: polymorphic; no FK. user_id: a user or a group; User#remove_references_before_destroy
-- deletes the user's watchers.
CREATE TABLE watchers (
  id serial PRIMARY KEY,
  watchable_type varchar NOT NULL DEFAULT '',
  watchable_id integer NOT NULL DEFAULT 0,
  user_id integer REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX watchers_user_id_type ON watchers (user_id, watchable_type);
CREATE INDEX index_watchers_on_user_id ON watchers (user_id);
CREATE INDEX index_watchers_on_watchable_id_and_watchable_type ON watchers (watchable_id, watchable_type);

-- container_*: polymorphic, both NULL while an upload waits for its container; no FK.
-- author_id goes to the Anonymous user when a user is deleted; no FK. digest: SHA-256 hex.
CREATE TABLE attachments (
  id serial PRIMARY KEY,
  container_id integer,
  container_type varchar(30),
  filename varchar NOT NULL DEFAULT '',
  disk_filename varchar NOT NULL DEFAULT '',
  filesize bigint NOT NULL DEFAULT 0,
  content_type varchar DEFAULT '',
  digest varchar(64) NOT NULL DEFAULT '',
  downloads integer NOT NULL DEFAULT 0,
  author_id integer NOT NULL DEFAULT 0,
  created_on timestamp,
  description varchar,
  disk_directory varchar
);

CREATE INDEX index_attachments_on_container_id_and_container_type ON attachments (container_id, container_type);
CREATE INDEX index_attachments_on_author_id ON attachments (author_id);
CREATE INDEX index_attachments_on_created_on ON attachments (created_on);
CREATE INDEX index_attachments_on_disk_filename ON attachments (disk_filename);

-- One table for every kind of custom field (single-table inheritance on `type`: IssueCustomField,
-- ProjectCustomField, VersionCustomField, UserCustomField, GroupCustomField, TimeEntryCustomField,
-- TimeEntryActivityCustomField, IssuePriorityCustomField, DocumentCustomField,
-- DocumentCategoryCustomField).
CREATE TABLE custom_fields (
  id serial PRIMARY KEY,
  type varchar(30) NOT NULL DEFAULT '',
  name varchar(30) NOT NULL DEFAULT '',
  field_format varchar(30) NOT NULL DEFAULT '',
  -- Deliberate: jsonb array of strings (Redmine: YAML in text).
  possible_values jsonb,
  regexp varchar DEFAULT '',
  min_length integer,
  max_length integer,
  is_required boolean NOT NULL DEFAULT false,
  is_for_all boolean NOT NULL DEFAULT false,
  is_filter boolean NOT NULL DEFAULT false,
  position integer DEFAULT 1,
  searchable boolean DEFAULT false,
  default_value text,
  editable boolean DEFAULT true,
  visible boolean NOT NULL DEFAULT true,
  multiple boolean DEFAULT false,
  -- Deliberate: jsonb object of the format's settings (Redmine: a YAML-serialized store in text).
  format_store jsonb,
  description text
);

CREATE INDEX index_custom_fields_on_id_and_type ON custom_fields (id, type);

-- has_and_belongs_to_many join rows go with either side.
CREATE TABLE custom_fields_projects (
  custom_field_id integer NOT NULL DEFAULT 0 REFERENCES custom_fields (id) ON DELETE CASCADE,
  project_id integer NOT NULL DEFAULT 0 REFERENCES projects (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX index_custom_fields_projects_on_custom_field_id_and_project_id
  ON custom_fields_projects (custom_field_id, project_id);

CREATE TABLE custom_fields_trackers (
  custom_field_id integer NOT NULL DEFAULT 0 REFERENCES custom_fields (id) ON DELETE CASCADE,
  tracker_id integer NOT NULL DEFAULT 0 REFERENCES trackers (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX index_custom_fields_trackers_on_custom_field_id_and_tracker_id
  ON custom_fields_trackers (custom_field_id, tracker_id);

CREATE TABLE custom_fields_roles (
  custom_field_id integer NOT NULL REFERENCES custom_fields (id) ON DELETE CASCADE,
  role_id integer NOT NULL REFERENCES roles (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX custom_fields_roles_ids ON custom_fields_roles (custom_field_id, role_id);

-- Values of 'enumeration' custom fields. CustomField has_many :enumerations, dependent: :delete_all.
CREATE TABLE custom_field_enumerations (
  id serial PRIMARY KEY,
  custom_field_id integer NOT NULL REFERENCES custom_fields (id) ON DELETE CASCADE,
  name varchar NOT NULL,
  active boolean NOT NULL DEFAULT true,
  position integer NOT NULL DEFAULT 1
);

-- customized_*: polymorphic; no FK. CustomField has_many :custom_values, dependent: :delete_all.
-- A multiple-value field has one row per value.
CREATE TABLE custom_values (
  id serial PRIMARY KEY,
  customized_type varchar(30) NOT NULL DEFAULT '',
  customized_id integer NOT NULL DEFAULT 0,
  custom_field_id integer NOT NULL DEFAULT 0 REFERENCES custom_fields (id) ON DELETE CASCADE,
  value text
);

-- Redmine 5.1 replaced custom_values_customized (customized_type, customized_id) with this one,
-- whose prefix serves the same lookups.
CREATE INDEX custom_values_customized_custom_field ON custom_values (customized_type, customized_id, custom_field_id);
CREATE INDEX index_custom_values_on_custom_field_id ON custom_values (custom_field_id);

-- Saved queries (single-table inheritance on `type`: IssueQuery, ProjectQuery, TimeEntryQuery,
-- UserQuery). visibility: 0 private, 1 roles (queries_roles), 2 public. project_id NULL = for all
-- projects. user_id goes to the Anonymous user (public queries) or is deleted with its user
-- (private ones) in the service; no FK. Project has_many :queries, dependent: :destroy.
CREATE TABLE queries (
  id serial PRIMARY KEY,
  project_id integer REFERENCES projects (id) ON DELETE CASCADE,
  name varchar NOT NULL DEFAULT '',
  -- Deliberate: jsonb object, field → {"operator": …, "values": […]} (Redmine: YAML in text).
  filters jsonb,
  user_id integer NOT NULL DEFAULT 0,
  -- Deliberate: jsonb array of column names (Redmine: YAML array of symbols in text).
  column_names jsonb,
  -- Deliberate: jsonb array of [column, 'asc'|'desc'] pairs (Redmine: YAML in text).
  sort_criteria jsonb,
  group_by varchar,
  type varchar,
  visibility integer DEFAULT 0,
  -- Deliberate: jsonb object (totalable_names, display_type, draw_relations…; Redmine: YAML hash).
  options jsonb,
  description varchar
);

CREATE INDEX index_queries_on_project_id ON queries (project_id);
CREATE INDEX index_queries_on_user_id ON queries (user_id);

CREATE TABLE queries_roles (
  query_id integer NOT NULL REFERENCES queries (id) ON DELETE CASCADE,
  role_id integer NOT NULL REFERENCES roles (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX queries_roles_ids ON queries_roles (query_id, role_id);

-- IssueQuery has_many :projects, foreign_key: 'default_issue_query_id', dependent: :nullify.
ALTER TABLE projects
  ADD CONSTRAINT projects_default_issue_query_id_fkey FOREIGN KEY (default_issue_query_id)
  REFERENCES queries (id) ON DELETE SET NULL;
