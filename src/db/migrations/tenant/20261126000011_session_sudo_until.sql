-- Kanri: sudo mode (security.md §4). Until when the session may make sensitive changes without giving
-- its password again; NULL: not in sudo mode. Per session, so a new sign-in starts without it, and it
-- ends with the session (the details row is deleted with its `tokens` row). Like the rest of
-- kanri_session_details, not counted in the data version: no remembered answer reads it.
ALTER TABLE kanri_session_details ADD COLUMN sudo_until timestamp;
