-- Kanri: the database's data version, a count of the write transactions that committed here. Read
-- answers are remembered under it (src/db/snapshot-memo.ts): while it is the same, nothing has
-- changed. pg_current_snapshot() would say the same for free, but transaction ids belong to the whole
-- server, so on a server shared by many tenants any tenant's write would end every tenant's memo.
--
-- Every table gets a statement trigger that counts its transaction once, on one of 16 rows chosen by
-- the backend (so concurrent writers do not wait on one row). A table created later must call
-- kanri_track_changes('<table>') in its migration; a schema test checks that every table does.

CREATE TABLE kanri_data_version (
  stripe smallint PRIMARY KEY,
  changes bigint NOT NULL DEFAULT 0
) WITH (fillfactor = 50);

INSERT INTO kanri_data_version (stripe) SELECT generate_series(0, 15);

CREATE FUNCTION kanri_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Once per transaction: the setting is local to it (and to a subtransaction, which rolls it back
  -- together with the update).
  IF current_setting('kanri.change_counted', true) IS DISTINCT FROM 'yes' THEN
    UPDATE kanri_data_version SET changes = changes + 1 WHERE stripe = pg_backend_pid() % 16;
    PERFORM set_config('kanri.change_counted', 'yes', true);
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION kanri_track_changes(target regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format(
    'CREATE TRIGGER kanri_count_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION kanri_count_change()',
    target
  );
END
$$;

SELECT kanri_track_changes(c.oid)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
   AND c.relname NOT IN ('kanri_data_version', 'schema_migrations');
