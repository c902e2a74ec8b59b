-- Kanri: brute-force throttling (security.md §6, §8). One row per throttled subject: a login
-- ('login', lower-cased), a client address ('ip'), an invalid API key ('api_key', its SHA-256, never
-- the key) or an address sending invalid keys ('api_ip'). Kept in the tenant database so every
-- process of a deployment sees the same counts.
--
-- Not counted in the data version (kanri_track_changes): no remembered answer reads this table, and
-- every failed sign-in and every invalid API key writes here, so counting it would let anyone end
-- every remembered answer of a tenant by guessing.

CREATE TABLE auth_throttles (
  scope varchar(16) NOT NULL,
  subject varchar(255) NOT NULL,
  -- The latest failures inside the window, oldest first; no more than the limit is kept.
  failures timestamptz[] NOT NULL DEFAULT '{}',
  locked_until timestamptz,
  -- Locks in the current series: each lock that follows the previous one soon enough lasts twice as long.
  locks integer NOT NULL DEFAULT 0,
  -- After this instant the row says nothing any more (window over, series forgotten): it may be deleted.
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (scope, subject)
);

CREATE INDEX index_auth_throttles_on_expires_at ON auth_throttles (expires_at);
