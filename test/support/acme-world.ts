/**
 * The world the REST tests arrange in: tenant `acme` on one engine, and arrangers for what most files
 * need before their first test — users, a group, projects and memberships made as `admin` through the
 * API (so they get the rows the app itself writes), and a name → id map the tests look ids up in.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Database, Engine } from '#src/db/database.ts';
import { createUser, USER_STATUS } from '#src/features/account/index.ts';
import { updateSetting } from '#src/features/settings/index.ts';
import { getTenant } from '#src/platform/tenant.service.ts';
import { apiCaller, startAcme, tenantSql, type TestApp } from './app.ts';
import type { TestEnvironment } from './engines.ts';

/** A login, or a login with first and last name where a test shows names. */
export type UserSpec = string | readonly [login: string, firstname: string, lastname: string];
/** name, identifier, is_public (absent: the tenant's default_projects_public decides), parent identifier. */
export type ProjectSpec = readonly [name: string, identifier: string, isPublic?: boolean, parent?: string];
/** project identifier, user or group (its name in `ids`), role name (from `referenceIds()`). */
export type MemberSpec = readonly [project: string, principal: string, role: string];

export interface AcmeWorld {
  /** The running app; read it inside tests and hooks only. */
  readonly server: TestApp;
  /** The deployment's environment (data directory, database prefix). */
  readonly env: TestEnvironment;
  readonly call: ReturnType<typeof apiCaller>;
  readonly sql: ReturnType<typeof tenantSql>;
  /** Ids by the names tests give things: logins, group and role names, project identifiers… */
  readonly ids: Record<string, number>;
  /** The id named so; fails the test when nothing was recorded under that name. */
  readonly id: (name: string) => number;
  readonly setting: (name: string, value: string) => Promise<void>;
  readonly withDb: <T>(fn: (db: Database) => Promise<T>) => Promise<T>;
  /** Active users with password `<login>-password` and mail `<login>@acme.test`, named `<login> User` unless named. */
  readonly users: (specs: readonly UserSpec[]) => Promise<void>;
  readonly lock: (login: string) => Promise<void>;
  /** An active group and its users. */
  readonly group: (name: string, userLogins?: readonly string[]) => Promise<void>;
  readonly projects: (specs: readonly ProjectSpec[]) => Promise<void>;
  /** Memberships in this order (the order decides member ids and list order). */
  readonly members: (specs: readonly MemberSpec[]) => Promise<void>;
  /** `admin`, and the seeded roles, issue statuses and trackers by name; priorities as `priority <Name>`. */
  readonly referenceIds: () => Promise<void>;
}

/**
 * Call at the top of a `describe` body: registers the `before` that starts acme and the `after` that
 * stops it and drops its databases. node:test runs `before` hooks in registration order, so the
 * file's own `before` (registered after this) arranges on a running app. Every member but `server`
 * and `env` is a plain function, safe to destructure.
 */
export function acmeWorld(engine: Engine, options: Parameters<typeof startAcme>[1] = {}): AcmeWorld {
  let started: { env: TestEnvironment; server: TestApp } | undefined;
  const running = () => {
    if (!started) {
      throw new Error('acme is not running yet: use the world in tests and in hooks registered after acmeWorld()');
    }
    return started;
  };
  before(async () => {
    started = await startAcme(engine, options);
  });
  after(async () => {
    await started?.server.close();
    await started?.env.cleanup();
  });

  const ids: Record<string, number> = {};
  const call = apiCaller(() => running().server);
  const sql = tenantSql(() => running().server);
  const id = (name: string) => {
    const value = ids[name];
    assert.ok(value !== undefined, `no id for ${name}`);
    return value;
  };
  const withDb = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
    const { platform } = running().server;
    return platform.tenantDatabases.use(await getTenant(platform, 'acme'), fn);
  };

  return {
    get server() {
      return running().server;
    },
    get env() {
      return running().env;
    },
    call,
    sql,
    ids,
    id,
    withDb,
    setting: (name, value) => withDb((db) => updateSetting(db.orm, name, value, new Date())),
    users: (specs) =>
      withDb(async (db) => {
        for (const spec of specs) {
          const [login, firstname, lastname] = typeof spec === 'string' ? [spec, spec, 'User'] : spec;
          const user = await createUser(db.orm, { login, password: `${login}-password`, firstname, lastname, mail: `${login}@acme.test`, minPasswordLength: 8 }, new Date());
          ids[login] = user.id;
        }
      }),
    lock: async (login) => {
      await sql('UPDATE users SET status = $1 WHERE id = $2', [USER_STATUS.locked, id(login)]);
    },
    group: async (name, userLogins = []) => {
      const [group] = await sql("INSERT INTO users (login, lastname, type, status, created_on, updated_on) VALUES ('', $1, 'Group', 1, now(), now()) RETURNING id", [name]);
      ids[name] = Number(group?.id);
      for (const login of userLogins) {
        await sql('INSERT INTO groups_users (group_id, user_id) VALUES ($1, $2)', [id(name), id(login)]);
      }
    },
    projects: async (specs) => {
      for (const [name, identifier, isPublic, parent] of specs) {
        const project = await call('POST', '/projects.json', 'admin', {
          project: { name, identifier, ...(isPublic === undefined ? {} : { is_public: isPublic }), ...(parent === undefined ? {} : { parent_id: id(parent) }) },
        });
        assert.equal(project.statusCode, 201, project.body);
        ids[identifier] = Number(project.json<{ project: { id: number } }>().project.id);
      }
    },
    members: async (specs) => {
      for (const [project, principal, role] of specs) {
        const answer = await call('POST', `/projects/${project}/memberships.json`, 'admin', { membership: { user_id: id(principal), role_ids: [id(role)] } });
        assert.equal(answer.statusCode, 201, answer.body);
      }
    },
    referenceIds: async () => {
      const rows = await sql(
        `SELECT id, login AS name FROM users WHERE login = 'admin'
         UNION ALL SELECT id, name FROM roles UNION ALL SELECT id, name FROM issue_statuses UNION ALL SELECT id, name FROM trackers
         UNION ALL SELECT id, 'priority ' || name FROM enumerations WHERE type = 'IssuePriority'`,
      );
      for (const row of rows) {
        ids[String(row.name)] = Number(row.id);
      }
    },
  };
}
