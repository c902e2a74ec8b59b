/**
 * The permission engine as a matrix over HTTP, with Redmine's default roles: who (Manager, Developer,
 * Reporter, a logged-in non-member, anonymous) × where (public or private project) × which issue
 * (public or private, written by someone else) × what (view, change the subject, add a note, delete,
 * create). Each cell is the answer and what was stored, so a rule that slips shows as one cell.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

type Who = 'manager' | 'developer' | 'reporter' | 'outsider' | 'anonymous';
type Where = 'public' | 'private';
type Which = 'open' | 'private';
/** `ok` done; `ignored` answered 204 but nothing changed (Redmine ignores what a role may not set); else the status. */
type Outcome = 'ok' | 'ignored' | 401 | 403 | 404;

const WHO: readonly Who[] = ['manager', 'developer', 'reporter', 'outsider', 'anonymous'];

/** What each role may do to an issue it can see, by Redmine's default permissions. */
const MAY: Record<Who, { subject: boolean; note: boolean; delete: boolean; create: boolean }> = {
  manager: { subject: true, note: true, delete: true, create: true },
  developer: { subject: true, note: true, delete: false, create: true },
  reporter: { subject: false, note: true, delete: false, create: true },
  outsider: { subject: false, note: true, delete: false, create: true },
  anonymous: { subject: false, note: false, delete: false, create: false },
};

/** Can `who` see an issue written by someone else (Manager sees all; the others non-private ones; strangers nothing private)? */
function sees(who: Who, where: Where, which: Which): boolean {
  const member = who === 'manager' || who === 'developer' || who === 'reporter';
  if (where === 'private' && !member) {
    return false;
  }
  return which === 'open' || who === 'manager';
}

/** The refusal for an issue `who` may not act on: 401 anonymous, else 403 (Redmine's rule for issues). */
const refusal = (who: Who): Outcome => (who === 'anonymous' ? 401 : 403);

function expected(who: Who, where: Where, which: Which, action: 'view' | 'subject' | 'note' | 'delete'): Outcome {
  if (!sees(who, where, which)) {
    return refusal(who);
  }
  if (action === 'view') {
    return 'ok';
  }
  const may = MAY[who];
  if (action === 'delete') {
    return may.delete ? 'ok' : refusal(who);
  }
  if (!may.subject && !may.note) {
    return refusal(who);
  }
  if (action === 'subject') {
    return may.subject ? 'ok' : 'ignored';
  }
  return may.note ? 'ok' : 'ignored';
}

function expectedCreate(who: Who, where: Where): Outcome {
  if (where === 'private' && (who === 'outsider' || who === 'anonymous')) {
    // A private project does not exist for strangers (Kanri's rule), anonymous ones included.
    return 404;
  }
  return MAY[who].create ? 'ok' : refusal(who);
}

for (const { engine, skip } of await engineCases()) {
  describe(`issue permission matrix (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql } = acme;
    const login = (who: Who) => (who === 'anonymous' ? undefined : who);
    let seq = 0;

    const newIssue = async (where: Where, which: Which): Promise<number> => {
      const answer = await call('POST', `/projects/${where}/issues.json`, 'admin', { issue: { subject: `Issue ${++seq}`, is_private: which === 'private' } });
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ issue: { id: number } }>().issue.id;
    };
    const row = async (id: number) => (await sql('SELECT subject FROM issues WHERE id = $1', [id]))[0];
    const notes = async (id: number) => Number((await sql("SELECT count(*)::int AS n FROM journals WHERE journalized_id = $1 AND notes <> ''", [id]))[0]?.n);

    before(async () => {
      await acme.users(['manager', 'developer', 'reporter', 'outsider']);
      await acme.setting('login_required', '0');
      await acme.referenceIds();
      await acme.projects([['public', 'public', true], ['private', 'private', false]]);
      await acme.members(
        (['public', 'private'] as const).flatMap((project) => [
          [project, 'manager', 'Manager'],
          [project, 'developer', 'Developer'],
          [project, 'reporter', 'Reporter'],
        ] as const),
      );
    });

    for (const where of ['public', 'private'] as const) {
      for (const which of ['open', 'private'] as const) {
        test(`${which === 'open' ? 'an open' : 'a private'} issue of a ${where} project: view, change the subject, add a note, delete`, async () => {
          const actual: Record<string, Outcome> = {};
          const wanted: Record<string, Outcome> = {};
          for (const who of WHO) {
            const id = await newIssue(where, which);
            const view = await call('GET', `/issues/${id}.json`, login(who));
            actual[`${who} view`] = view.statusCode === 200 ? 'ok' : (view.statusCode as Outcome);

            const subject = await call('PUT', `/issues/${id}.json`, login(who), { issue: { subject: `Changed by ${who}` } });
            const changed = (await row(id))?.subject === `Changed by ${who}`;
            actual[`${who} subject`] = subject.statusCode === 204 ? (changed ? 'ok' : 'ignored') : (subject.statusCode as Outcome);

            const before = await notes(id);
            const note = await call('PUT', `/issues/${id}.json`, login(who), { issue: { notes: `Note by ${who}` } });
            const added = (await notes(id)) > before;
            actual[`${who} note`] = note.statusCode === 204 ? (added ? 'ok' : 'ignored') : (note.statusCode as Outcome);

            const removal = await call('DELETE', `/issues/${id}.json`, login(who));
            const gone = (await row(id)) === undefined;
            actual[`${who} delete`] = removal.statusCode === 204 && gone ? 'ok' : (removal.statusCode as Outcome);
            assert.equal(removal.statusCode !== 204, !gone, `${who}: the answer and the stored state agree`);

            for (const action of ['view', 'subject', 'note', 'delete'] as const) {
              wanted[`${who} ${action}`] = expected(who, where, which, action);
            }
          }
          assert.deepEqual(actual, wanted);
        });
      }

      test(`creating an issue in the ${where} project`, async () => {
        const actual: Record<string, Outcome> = {};
        const wanted: Record<string, Outcome> = {};
        for (const who of WHO) {
          const [count] = await sql('SELECT count(*)::int AS n FROM issues');
          const answer = await call('POST', `/projects/${where}/issues.json`, login(who), { issue: { subject: `By ${who}` } });
          const [after] = await sql('SELECT count(*)::int AS n FROM issues');
          actual[who] = answer.statusCode === 201 ? 'ok' : (answer.statusCode as Outcome);
          assert.equal(Number(after?.n) - Number(count?.n), answer.statusCode === 201 ? 1 : 0, `${who}: one issue stored exactly when created`);
          wanted[who] = expectedCreate(who, where);
        }
        assert.deepEqual(actual, wanted);
      });
    }
  });
}
