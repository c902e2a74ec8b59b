/**
 * The issue status form: reading `issue_status[...]` (a key left out keeps its value), applying it,
 * and Redmine's validation messages. Pure.
 */
import { paramObject, paramString, type Params } from '#src/api/params.ts';
import type { IssueStatusRecord } from './issue-status.repository.ts';

export interface IssueStatusInput {
  readonly name?: string;
  readonly description?: string;
  readonly isClosed?: boolean;
  /** Blank clears it; text that is no whole number stays as given, to be refused. */
  readonly defaultDoneRatio?: number | string | null;
  readonly position?: number;
}

export type IssueStatusDraft = Omit<IssueStatusRecord, 'id' | 'default_done_ratio'> & {
  readonly id: number | undefined;
  readonly default_done_ratio: number | string | null;
};

export function issueStatusInputOf(params: Params): IssueStatusInput {
  const status = paramObject(params.issue_status) ?? {};
  const has = (key: string) => Object.hasOwn(status, key);
  const input: { -readonly [K in keyof IssueStatusInput]: IssueStatusInput[K] } = {};
  if (has('name')) {
    input.name = paramString(status.name) ?? '';
  }
  if (has('description')) {
    input.description = paramString(status.description) ?? '';
  }
  if (has('is_closed')) {
    const text = paramString(status.is_closed);
    input.isClosed = text === '1' || text === 'true';
  }
  if (has('default_done_ratio')) {
    const text = (paramString(status.default_done_ratio) ?? '').trim();
    input.defaultDoneRatio = text === '' ? null : /^-?\d{1,9}$/.test(text) ? Number(text) : text;
  }
  if (has('position')) {
    const text = paramString(status.position) ?? '';
    if (/^\d{1,6}$/.test(text)) {
      input.position = Number(text);
    }
  }
  return input;
}

export function newIssueStatusDraft(): IssueStatusDraft {
  return { id: undefined, name: '', description: null, is_closed: false, position: null, default_done_ratio: null };
}

export function applyIssueStatusInput(draft: IssueStatusDraft, input: IssueStatusInput): IssueStatusDraft {
  return {
    ...draft,
    name: input.name !== undefined ? input.name.trim() : draft.name,
    description: input.description !== undefined ? input.description : draft.description,
    is_closed: input.isClosed ?? draft.is_closed,
    default_done_ratio: input.defaultDoneRatio !== undefined ? input.defaultDoneRatio : draft.default_done_ratio,
  };
}

export function issueStatusErrors(status: IssueStatusDraft, facts: { nameTaken: boolean }): string[] {
  const errors: string[] = [];
  if (status.name.trim() === '') {
    errors.push('Name cannot be blank');
  } else if (facts.nameTaken) {
    errors.push('Name has already been taken');
  }
  if ([...status.name].length > 30) {
    errors.push('Name is too long (maximum is 30 characters)');
  }
  if ([...(status.description ?? '')].length > 255) {
    errors.push('Description is too long (maximum is 255 characters)');
  }
  const ratio = status.default_done_ratio;
  if (ratio !== null && (typeof ratio !== 'number' || ratio < 0 || ratio > 100)) {
    errors.push('% Done is not included in the list');
  }
  return errors;
}
