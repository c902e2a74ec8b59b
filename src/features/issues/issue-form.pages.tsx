/**
 * HTML routes of the issue form (Redmine's URLs): new, copy and create; edit and update; the form
 * again after a change of project, tracker or status (for the island, or the Update form button);
 * delete with its confirmation. The form posts multipart bodies (files), read in this plugin's scope
 * only (issue-form.multipart.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { Platform } from '#src/platform/platform.ts';
import { createFromForm, newIssueFragment, showCopyIssue, showNewIssue } from './issue-form.create.tsx';
import { deleteFromForm, showDeleteIssue } from './issue-form.delete.tsx';
import { pathParam } from './issue-form.http.tsx';
import { acceptFormFiles } from './issue-form.multipart.ts';
import { editIssueFragment, showEditIssue, updateFromForm } from './issue-form.update.tsx';

export async function issueFormPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  await acceptFormFiles(app);

  app.get('/projects/:project_id/issues/new', (request, reply) => showNewIssue(platform, request, reply, pathParam(request, 'project_id')));
  app.get('/issues/new', (request, reply) => showNewIssue(platform, request, reply, undefined));
  app.get('/projects/:project_id/issues/:copy_from/copy', (request, reply) => showCopyIssue(platform, request, reply));
  app.post('/projects/:project_id/issues/new/form', (request, reply) => newIssueFragment(request, reply, pathParam(request, 'project_id')));
  app.post('/issues/new/form', (request, reply) => newIssueFragment(request, reply, undefined));
  app.post('/projects/:project_id/issues', (request, reply) => createFromForm(platform, request, reply, pathParam(request, 'project_id')));
  app.post('/issues', (request, reply) => createFromForm(platform, request, reply, undefined));

  app.get('/issues/:id/edit', (request, reply) => showEditIssue(platform, request, reply));
  app.post('/issues/:id/edit/form', (request, reply) => editIssueFragment(request, reply));
  app.post('/issues/:id', (request, reply) => updateFromForm(platform, request, reply));

  app.get('/issues/:id/delete', (request, reply) => showDeleteIssue(platform, request, reply));
  app.post('/issues/:id/delete', (request, reply) => deleteFromForm(platform, request, reply));
}
