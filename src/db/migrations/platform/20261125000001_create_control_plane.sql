-- The control plane: which tenants exist, where their data lives, who operates the service.

CREATE TABLE platform_settings (
  name varchar(255) PRIMARY KEY,
  value text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenants (
  id serial PRIMARY KEY,
  account varchar(40) NOT NULL UNIQUE,
  name varchar(255) NOT NULL,
  plan varchar(30) NOT NULL DEFAULT 'standard',
  status varchar(20) NOT NULL DEFAULT 'provisioning'
    CHECK (status IN ('provisioning', 'active', 'suspended', 'cancelled')),
  language varchar(5) NOT NULL DEFAULT 'en',
  -- Placement: a PGlite folder under the data directory, or a database on a named server.
  engine varchar(10) NOT NULL CHECK (engine IN ('pglite', 'postgres')),
  server_name varchar(100),
  database_name varchar(63),
  data_path varchar(255),
  schema_version varchar(14) NOT NULL DEFAULT '0',
  created_at timestamptz NOT NULL DEFAULT now(),
  cancelled_at timestamptz,
  CHECK ((engine = 'pglite' AND data_path IS NOT NULL)
      OR (engine = 'postgres' AND server_name IS NOT NULL AND database_name IS NOT NULL))
);
CREATE INDEX index_tenants_on_server_name ON tenants (server_name);

CREATE TABLE operators (
  id serial PRIMARY KEY,
  login varchar(255) NOT NULL UNIQUE,
  mail varchar(255) NOT NULL,
  hashed_password varchar(255) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Append-only: what happened to which tenant, by whom. Rows are never changed or removed.
CREATE TABLE platform_events (
  id bigserial PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor varchar(255) NOT NULL,
  tenant_id integer,
  account varchar(40),
  kind varchar(60) NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX index_platform_events_on_tenant_id ON platform_events (tenant_id, occurred_at);

CREATE FUNCTION platform_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'platform_events is append-only';
END;
$$;
CREATE TRIGGER platform_events_append_only
  BEFORE UPDATE OR DELETE ON platform_events
  FOR EACH ROW EXECUTE FUNCTION platform_events_append_only();
