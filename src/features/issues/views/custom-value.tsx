/**
 * A custom value as the issue page shows it (Redmine's format_value / show_value): names for user,
 * version and enumeration fields, a link to a file field's file, Yes/No, dates in the tenant's format, links for link fields, text
 * fields with their line breaks (or formatted, when the field says so). Pure.
 */
import type { VNode } from 'preact';
import type { CustomFieldDef } from '#src/features/custom-fields/index.ts';
import type { Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import { WikiText } from '#src/views/wiki-text.tsx';
import type { Names } from '../issue-page.repository.ts';
import { principalName } from './issue-format.tsx';

/** One stored value as text. */
export function customValueText(field: Pick<CustomFieldDef, 'fieldFormat'>, value: string, names: Names, t: Translate, format: Formatter): string {
  if (value === '') {
    return '';
  }
  switch (field.fieldFormat) {
    case 'bool':
      return value === '1' ? t('general_text_Yes') : value === '0' ? t('general_text_No') : value;
    case 'date':
      return format.date(value) || value;
    case 'user':
      return names.principals.has(Number(value)) ? principalName(names.principals.get(Number(value)), t, format) : value;
    case 'version':
      return names.named.get('versions')?.get(Number(value)) ?? value;
    case 'enumeration':
      return names.named.get('enumerations')?.get(Number(value)) ?? value;
    case 'attachment':
      return names.named.get('attachments')?.get(Number(value)) ?? value;
    default:
      return value;
  }
}

/** An address a link field may point to: http(s) and ftp only; a bare host gets `http://`, as Redmine does. */
function safeHref(value: string): string | undefined {
  const href = /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `http://${value}`;
  return /^(https?|ftp):\/\/[^\s"'<>]+$/i.test(href) ? href : undefined;
}

export interface CustomValueProps {
  readonly field: CustomFieldDef;
  readonly values: readonly string[];
  /** The formatted HTML of a text field with formatting on. */
  readonly html?: string | undefined;
  readonly names: Names;
  readonly t: Translate;
  readonly format: Formatter;
}

export function CustomValue({ field, values, html, names, t, format }: CustomValueProps): VNode | null {
  const present = values.filter((v) => v !== '');
  if (present.length === 0) {
    return null;
  }
  if (field.fieldFormat === 'text') {
    return html !== undefined ? <WikiText html={html} /> : <div class="text-value">{present[0]}</div>;
  }
  if (field.fieldFormat === 'link') {
    return (
      <>
        {present.map((value, i) => {
          const href = safeHref(value);
          return (
            <>
              {i > 0 ? ', ' : null}
              {href ? (
                <a href={href} class="external" rel="noopener noreferrer">
                  {value}
                </a>
              ) : (
                value
              )}
            </>
          );
        })}
      </>
    );
  }
  if (field.fieldFormat === 'attachment') {
    // Redmine's link_to_attachment; the attachment page checks who may see the file.
    const filename = names.named.get('attachments')?.get(Number(present[0]));
    return filename === undefined ? <>{present[0]}</> : <a href={`/attachments/${present[0]}`} class="icon icon-attachment">{filename}</a>;
  }
  if (field.fieldFormat === 'user') {
    return (
      <>
        {present.map((value, i) => {
          const principal = names.principals.get(Number(value));
          return (
            <>
              {i > 0 ? ', ' : null}
              {principal?.type === 'User' ? <a href={`/users/${principal.id}`} class="user active">{principalName(principal, t, format)}</a> : customValueText(field, value, names, t, format)}
            </>
          );
        })}
      </>
    );
  }
  return <>{present.map((value) => customValueText(field, value, names, t, format)).join(', ')}</>;
}
