/**
 * Administration → IP address filter: the reader's own address, the stored list as a table (entry,
 * the range it stands for, comment), and the form that replaces it. Pure: everything arrives in the props.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import type { ListedAllowedIp } from '../allowed-ips.ts';

export interface IpFilterPageProps {
  readonly t: Translate;
  readonly csrfToken: string;
  /** The stored list, line by line. */
  readonly listed: readonly ListedAllowedIp[];
  /** The textarea's text: the stored list, or what a refused form sent. */
  readonly text: string;
  /** The reader's address as the filter sees it. */
  readonly address: string;
  readonly maxEntries: number;
  readonly errors: readonly string[];
}

export function IpFilterPage(props: IpFilterPageProps): VNode {
  const { t } = props;
  const entries = props.listed.filter((line) => line.entry !== '');
  return (
    <>
      <h2>{t('label_ip_filter')}</h2>
      <ErrorExplanation errors={props.errors} t={t} />
      <p>{t('text_ip_filter_explanation')}</p>
      <p id="ip-filter-your-address">
        <strong>{t('label_ip_filter_your_address', { ip: props.address })}</strong>
      </p>
      {entries.length === 0 ? (
        <p class="nodata">{t('text_ip_filter_unrestricted')}</p>
      ) : (
        <table class="list" id="ip-filter-entries">
          <thead>
            <tr>
              <th>{t('field_ip_filter_entry')}</th>
              <th>{t('field_ip_filter_range')}</th>
              <th>{t('field_comments')}</th>
            </tr>
          </thead>
          <tbody>
            {props.listed.map((line) => (
              <tr>
                <td>{line.entry}</td>
                <td>{line.range ?? ''}</td>
                <td>{line.comment}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form method="post" action="/admin/ip_filter" id="ip-filter-form">
        <CsrfField token={props.csrfToken} />
        <div class="box tabular">
          <p>
            <label for="allowed_ips">{t('label_ip_filter_allowed_ips')}</label>
            {/* HTML drops one newline right after <textarea>: this one, so a first blank line survives. */}
            <textarea id="allowed_ips" name="allowed_ips" rows={12} cols={60} spellcheck={false}>
              {`\n${props.text}`}
            </textarea>
            <em class="info">{t('text_ip_filter_format', { max: String(props.maxEntries) })}</em>
          </p>
        </div>
        <p class="buttons">
          <button type="submit" class="primary">
            {t('button_save')}
          </button>
        </p>
      </form>
    </>
  );
}
