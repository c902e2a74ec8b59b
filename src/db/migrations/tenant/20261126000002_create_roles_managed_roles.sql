-- Redmine's roles_managed_roles (Role has_and_belongs_to_many :managed_roles): the roles a role holding
-- manage_members may give and take away in a project when its all_roles_managed is false. Same
-- columns and unique index as Redmine's migrations 20150528092912 and 20150528093249.
-- Deliberate: foreign keys on both columns, ON DELETE CASCADE (a row means nothing once either role
-- is gone; Redmine's join rows for a deleted managed role are left behind).
CREATE TABLE roles_managed_roles (
  role_id integer NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  managed_role_id integer NOT NULL REFERENCES roles (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX index_roles_managed_roles_on_role_id_and_managed_role_id
  ON roles_managed_roles (role_id, managed_role_id);
