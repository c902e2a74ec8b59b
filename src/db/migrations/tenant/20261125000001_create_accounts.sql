-- Users, their e-mail addresses, tokens (sessions, API keys) and the tenant's settings,
-- with Redmine's table and column names so data copies between Redmine and Kanri.

CREATE TABLE users (
  id serial PRIMARY KEY,
  login varchar(255) NOT NULL DEFAULT '',
  -- argon2id encoded hash; Redmine's salted SHA-1 hashes (with `salt`) are accepted on import.
  hashed_password varchar(255) NOT NULL DEFAULT '',
  firstname varchar(30) NOT NULL DEFAULT '',
  lastname varchar(255) NOT NULL DEFAULT '',
  admin boolean NOT NULL DEFAULT false,
  status integer NOT NULL DEFAULT 1,
  last_login_on timestamp,
  language varchar(5) DEFAULT '',
  auth_source_id integer,
  created_on timestamp,
  updated_on timestamp,
  type varchar(255),
  mail_notification varchar(255) NOT NULL DEFAULT '',
  salt varchar(64),
  must_change_passwd boolean NOT NULL DEFAULT false,
  passwd_changed_on timestamp,
  twofa_scheme varchar(255),
  twofa_totp_key varchar(255),
  twofa_totp_last_used_at integer,
  twofa_required boolean NOT NULL DEFAULT false
);
CREATE INDEX index_users_on_id_and_type ON users (id, type);
CREATE INDEX index_users_on_type ON users (type);
-- Logins are unique without regard to case among users (Redmine validates this; we index it).
CREATE UNIQUE INDEX index_users_on_lower_login ON users (lower(login)) WHERE type = 'User';

CREATE TABLE email_addresses (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  address varchar(255) NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  notify boolean NOT NULL DEFAULT true,
  created_on timestamp NOT NULL,
  updated_on timestamp NOT NULL
);
CREATE INDEX index_email_addresses_on_user_id ON email_addresses (user_id);
CREATE UNIQUE INDEX index_email_addresses_on_lower_address ON email_addresses (lower(address));

CREATE TABLE user_preferences (
  id serial PRIMARY KEY,
  user_id integer NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
  others jsonb NOT NULL DEFAULT '{}'::jsonb,
  hide_mail boolean DEFAULT true,
  time_zone varchar(255)
);

-- Sessions, API keys, password-reset and other tokens. Session values are stored as the SHA-256
-- of what the cookie carries, so a copy of this table does not let anyone in.
CREATE TABLE tokens (
  id serial PRIMARY KEY,
  user_id integer NOT NULL DEFAULT 0,
  action varchar(30) NOT NULL DEFAULT '',
  value varchar(64) NOT NULL DEFAULT '',
  created_on timestamp NOT NULL,
  updated_on timestamp
);
CREATE INDEX index_tokens_on_user_id ON tokens (user_id);
CREATE UNIQUE INDEX tokens_value ON tokens (value);

CREATE TABLE settings (
  id serial PRIMARY KEY,
  name varchar(255) NOT NULL DEFAULT '' UNIQUE,
  value text,
  updated_on timestamp
);
