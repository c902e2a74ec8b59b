/**
 * The issue form's multipart bodies (it carries files: `attachments[N][file]`). In the form pages'
 * scope only, each part is read before the page guard runs: fields become the same params tree an
 * urlencoded form gives (so the CSRF token is checked as usual), and files go to temporary files capped
 * at the tenant's attachment_max_size. Nothing reaches the tenant's file area here: the route stores the
 * files once the request has passed the guard and the permission checks (`storeFormUploads`), and the
 * temporary files are removed when the response is sent.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paramObject, paramString, parseBody, type Params } from '#src/api/params.ts';
import { ValidationError } from '#src/errors.ts';
import { tokenOf, uploadAttachment, type AttachmentContext } from '#src/features/attachments/index.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { KeptUpload } from './issue-form.types.ts';

/** A file of the form, waiting in a temporary file. */
interface ReceivedFile {
  /** N of `attachments[N][file]`, or `cf:ID` for the file of custom field ID. */
  readonly slot: string;
  readonly path: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  /** Larger than attachment_max_size: cut short, never stored. */
  readonly tooLarge: boolean;
}

const received = new WeakMap<FastifyRequest, ReceivedFile[]>();

const SLOT = /^attachments\[([A-Za-z0-9_-]{1,20})\]\[file\]$/;
/** The file of a file custom field: `issue[custom_field_values][ID][file]`. */
const FIELD_SLOT = /^issue\[custom_field_values\]\[(\d{1,9})\]\[file\]$/;

/** Most files one post of the form may bring. */
const MAX_FILES = 10;

async function readMultipart(request: FastifyRequest): Promise<void> {
  const maxBytes = Number(tenantOf(request).settings.attachment_max_size) * 1024;
  const pairs: [string, string][] = [];
  const files: ReceivedFile[] = [];
  received.set(request, files);
  const parts = request.parts({ limits: { fileSize: maxBytes, files: MAX_FILES, fields: 2000, fieldSize: 1024 * 1024 }, throwFileSizeLimit: false } as Parameters<FastifyRequest['parts']>[0]);
  for await (const part of parts) {
    if (part.type === 'field') {
      pairs.push([part.fieldname, typeof part.value === 'string' ? part.value : String(part.value)]);
      continue;
    }
    const fieldId = FIELD_SLOT.exec(part.fieldname)?.[1];
    const slot = SLOT.exec(part.fieldname)?.[1] ?? (fieldId === undefined ? undefined : `cf:${fieldId}`);
    if (!part.filename || slot === undefined) {
      // An empty file input (browsers send it with no name), or a file the form never asks for.
      part.file.resume();
      continue;
    }
    const path = join(tmpdir(), `kanri-form-${randomUUID()}`);
    await pipeline(part.file, createWriteStream(path, { mode: 0o600 }));
    files.push({ slot, path, filename: part.filename, contentType: part.mimetype, size: (await stat(path)).size, tooLarge: part.file.truncated });
  }
  request.body = parseBody('application/x-www-form-urlencoded', new URLSearchParams(pairs).toString());
}

/** Registers multipart parsing for the routes of `app` (the form pages' own scope). */
export async function acceptFormFiles(app: FastifyInstance): Promise<void> {
  await app.register(multipart);
  app.addHook('preValidation', async (request) => {
    if (request.isMultipart()) {
      await readMultipart(request);
    }
  });
  app.addHook('onResponse', async (request) => {
    for (const file of received.get(request) ?? []) {
      await rm(file.path, { force: true });
    }
  });
}

export interface StoredUploads {
  /** Every upload the next form carries (those posted before and those just stored). */
  readonly kept: KeptUpload[];
  readonly errors: string[];
}

/**
 * Stores the files of the post as uploads (the attachments service checks who may upload, the size and
 * the extension) and writes each token into `params.attachments[N]`, where createIssue / updateIssue
 * read them. Returns the uploads to keep in a re-rendered form and the files refused.
 */
export async function storeFormUploads(request: FastifyRequest, ctx: Omit<AttachmentContext, 'files'>, params: Params, tooLarge: (maxBytes: number) => string): Promise<StoredUploads> {
  const files = received.get(request) ?? [];
  const errors: string[] = [];
  const attachments: Params = { ...(paramObject(params.attachments) ?? {}) };
  const context: AttachmentContext = { ...ctx, files: tenantOf(request).files };
  for (const file of files) {
    if (file.tooLarge) {
      errors.push(`${file.filename}: ${tooLarge(Number(ctx.settings.attachment_max_size) * 1024)}`);
      continue;
    }
    try {
      const row = await uploadAttachment(context, { content: createReadStream(file.path), declaredSize: file.size, filename: file.filename, contentType: file.contentType });
      if (file.slot.startsWith('cf:')) {
        // A file custom field's new file: its value becomes the upload's token (issue.attachment-values.ts).
        const issue = paramObject(params.issue) ?? {};
        const values = paramObject(issue.custom_field_values) ?? {};
        params.issue = { ...issue, custom_field_values: { ...values, [file.slot.slice(3)]: { token: tokenOf(row), filename: row.filename } } };
        continue;
      }
      const slot = paramObject(attachments[file.slot]) ?? {};
      attachments[file.slot] = { ...slot, token: tokenOf(row), filename: row.filename };
    } catch (error) {
      if (!(error instanceof ValidationError)) {
        throw error;
      }
      errors.push(...error.errors.map((message) => `${file.filename}: ${message}`));
    }
  }
  if (files.some((file) => !file.slot.startsWith('cf:'))) {
    params.attachments = attachments;
  }
  const kept = Object.values(attachments).flatMap((item) => {
    const fields = paramObject(item);
    const token = paramString(fields?.token);
    return fields && token ? [{ token, filename: paramString(fields.filename) ?? '', description: paramString(fields.description) ?? '' }] : [];
  });
  return { kept, errors };
}
