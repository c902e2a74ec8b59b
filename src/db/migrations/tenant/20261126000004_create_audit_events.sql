-- Kanri: the tenant's audit trail (security.md §11). Append-only: the application has no path that
-- edits or deletes a row, and the database refuses an UPDATE, and a DELETE of any row younger than
-- the 183 days the trail must be kept.
--
-- Not counted in the data version (kanri_track_changes): no remembered answer reads this table, and a
-- failed sign-in writes here, so counting it would let anyone end every remembered answer of a tenant
-- by guessing passwords.

CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  created_on timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  event varchar(64) NOT NULL,
  -- Who acted: a user (the name is kept, so the row stays readable after the user is deleted),
  -- or a label such as 'anonymous', 'operator' or 'system'.
  actor_id integer,
  actor_name varchar(255) NOT NULL DEFAULT '',
  impersonator_id integer,
  ip varchar(64) NOT NULL DEFAULT '',
  user_agent varchar(255) NOT NULL DEFAULT '',
  target_type varchar(32),
  target_id integer,
  target_name varchar(255) NOT NULL DEFAULT '',
  -- What changed, e.g. {"setting":"twofa","from":"1","to":"2"}; never a secret.
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX index_audit_events_on_created_on ON audit_events (created_on DESC);
CREATE INDEX index_audit_events_on_event ON audit_events (event, created_on DESC);
CREATE INDEX index_audit_events_on_actor_id ON audit_events (actor_id, created_on DESC);

CREATE FUNCTION kanri_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.created_on < (now() AT TIME ZONE 'UTC') - interval '183 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER kanri_audit_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION kanri_audit_append_only();
