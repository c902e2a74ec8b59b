-- Kanri: a password someone else chose for the user (an administrator's "generate" or "set and must
-- change", the operator's first password) works unused until this time, 72 hours after it was set
-- (security.md §3). Null for a password the user chose; cleared when the user sets their own.
-- A column beside Redmine's, nullable, so copying users to and from Redmine stays a plain copy.

ALTER TABLE users ADD COLUMN temp_passwd_expires_on timestamp;
