-- Kanri: what a browser session is beyond its row in Redmine's `tokens` table (security.md §4).
--
-- A session stays a `tokens` row with action 'session' (value = SHA-256 of the cookie's token), and an
-- autologin token one with action 'autologin' (same hashing), so a copy of `tokens` to or from Redmine
-- keeps rows Redmine understands. The session's creation time is `tokens.created_on`, as in Redmine;
-- `tokens.updated_on` is the sign-in time and is not moved afterwards.
--
-- The rest lives in a table of its own, one row per session row, deleted with it (ON DELETE CASCADE:
-- every path that deletes a user's tokens — lock, deletion, password change — ends the details too):
-- when the session was last seen (moved at most once a minute), and the client address, browser and
-- sign-in method shown on My account → Sessions.
--
-- Not counted in the data version (kanri_track_changes): no remembered answer reads this table, and
-- every signed-in browser moves its last_seen_on once a minute, so counting it would end every
-- remembered answer of the tenant once a minute per active user. Sign-in, sign-out and expiry write
-- `tokens`, which is counted.

CREATE TABLE kanri_session_details (
  token_id integer PRIMARY KEY REFERENCES tokens (id) ON DELETE CASCADE,
  last_seen_on timestamp NOT NULL,
  ip varchar(64) NOT NULL DEFAULT '',
  user_agent varchar(255) NOT NULL DEFAULT '',
  -- 'password', 'autologin'; the two-factor step and single sign-on add theirs.
  sign_in_method varchar(30) NOT NULL DEFAULT ''
);

-- Turning Redmine's `autologin` setting to 0 (or back to its default, 0, by deleting the row) disables
-- every existing autologin token for good: they are deleted, whichever code path wrote the setting
-- (the settings page, the API, an import), so setting it back later does not revive a stolen cookie.
CREATE FUNCTION kanri_autologin_off() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR coalesce(NEW.value, '') IN ('', '0') THEN
    DELETE FROM tokens WHERE action = 'autologin';
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER kanri_autologin_off AFTER INSERT OR UPDATE ON settings
  FOR EACH ROW WHEN (NEW.name = 'autologin') EXECUTE FUNCTION kanri_autologin_off();
CREATE TRIGGER kanri_autologin_reset AFTER DELETE ON settings
  FOR EACH ROW WHEN (OLD.name = 'autologin') EXECUTE FUNCTION kanri_autologin_off();
