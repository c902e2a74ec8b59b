/**
 * Pieces every form uses: the CSRF field, Redmine's error box, labelled fields of a `form.tabular`
 * (label + control, one per line, `required` marked), and a pager. Pure components.
 */
import type { ComponentChildren, VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { localizeValidationMessage } from '#src/i18n/validation.ts';

export function CsrfField({ token }: { token: string }): VNode {
  return <input type="hidden" name="authenticity_token" value={token} />;
}

/** Redmine's `#errorExplanation`: the messages a refused form came back with, in the page's language. */
export function ErrorExplanation({ errors, t }: { errors: readonly string[]; t: Translate }): VNode | null {
  if (errors.length === 0) {
    return null;
  }
  return (
    <div id="errorExplanation" role="alert">
      <p>{t('label_error_explanation')}</p>
      <ul>
        {errors.map((e) => (
          <li>{localizeValidationMessage(e, t)}</li>
        ))}
      </ul>
    </div>
  );
}

/** One line of a tabular form: `<p><label for>…</label> control</p>`. */
export function Field(props: { id: string; label: string; required?: boolean; children: ComponentChildren; hint?: string | undefined }): VNode {
  return (
    <p>
      <label for={props.id}>
        {props.label}
        {props.required ? (
          <span class="required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {props.children}
      {props.hint ? <em class="info">{props.hint}</em> : null}
    </p>
  );
}

export interface SelectOption {
  readonly value: string;
  readonly label: string;
}

export function Select(props: {
  id: string;
  name: string;
  options: readonly SelectOption[];
  value: string | readonly string[];
  blank?: string | undefined;
  multiple?: boolean;
  required?: boolean;
  disabled?: boolean;
  class?: string;
  autoSubmit?: boolean;
}): VNode {
  const chosen = new Set(typeof props.value === 'string' ? [props.value] : props.value);
  return (
    <select
      id={props.id}
      name={props.name}
      multiple={props.multiple}
      required={props.required}
      disabled={props.disabled}
      class={props.class}
      data-auto-submit={props.autoSubmit ? '' : undefined}
    >
      {props.blank !== undefined ? <option value="">{props.blank}</option> : null}
      {props.options.map((o) => (
        <option value={o.value} selected={chosen.has(o.value)}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

/** `« Previous 1 2 3 Next »` with the total, as Redmine's pagination links. `href(page)` builds each link. */
export function Pagination(props: { t: Translate; page: number; perPage: number; total: number; href: (page: number) => string }): VNode | null {
  const { t, page, perPage, total } = props;
  const pages = Math.max(1, Math.ceil(total / perPage));
  const shown = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pages])].filter((p) => p >= 1 && p <= pages).sort((a, b) => a - b);
  const from = total === 0 ? 0 : (page - 1) * perPage + 1;
  const to = Math.min(total, page * perPage);
  return (
    <nav class="pagination" aria-label={t('label_pagination')}>
      <ul class="pages">
        {page > 1 ? (
          <li class="previous page">
            <a href={props.href(page - 1)} rel="prev">
              « {t('label_previous')}
            </a>
          </li>
        ) : null}
        {shown.map((p, i) => (
          <>
            {i > 0 && p - shown[i - 1]! > 1 ? <li class="spacer">…</li> : null}
            <li class={p === page ? 'current' : 'page'}>{p === page ? <span aria-current="page">{p}</span> : <a href={props.href(p)}>{p}</a>}</li>
          </>
        ))}
        {page < pages ? (
          <li class="next page">
            <a href={props.href(page + 1)} rel="next">
              {t('label_next')} »
            </a>
          </li>
        ) : null}
      </ul>
      <span class="items">
        ({from}-{to}/{total})
      </span>
    </nav>
  );
}
