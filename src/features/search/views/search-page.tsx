/**
 * Redmine's search page (search/index), limited to issues: the question with its options, then the
 * matching issues with an excerpt in which the words are highlighted. Pure.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { Pagination } from '#src/views/form.tsx';
import type { Formatter } from '#src/views/format.ts';

export interface SearchResult {
  readonly id: number;
  readonly tracker: string;
  readonly status: string;
  readonly closed: boolean;
  readonly subject: string;
  readonly excerpt: string;
  /** ISO text. */
  readonly createdOn: string | null;
  readonly projectName: string;
}

export interface SearchPageProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly action: string;
  readonly question: string;
  readonly words: readonly string[];
  readonly allWords: boolean;
  readonly titlesOnly: boolean;
  readonly scope: string;
  readonly scopes: readonly { readonly value: string; readonly label: string }[];
  readonly results: readonly SearchResult[];
  readonly total: number;
  readonly page: number;
  readonly perPage: number;
  readonly pageHref: (page: number) => string;
  readonly searched: boolean;
  readonly showProject: boolean;
}

/** The text with each word wrapped in `span.highlight` (case-insensitive), as Redmine's highlight_tokens. */
function Highlighted({ text, words }: { text: string; words: readonly string[] }): VNode {
  const escaped = words.filter((w) => w !== '').map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (escaped.length === 0) {
    return <>{text}</>;
  }
  const pattern = new RegExp(`(${escaped.join('|')})`, 'giu');
  const lower = words.map((w) => w.toLowerCase());
  return (
    <>
      {text.split(pattern).map((part, i) =>
        i % 2 === 1 ? <span class={`highlight token-${Math.max(0, lower.indexOf(part.toLowerCase())) % 4}`}>{part}</span> : part,
      )}
    </>
  );
}

export function SearchPage(props: SearchPageProps): VNode {
  const { t } = props;
  return (
    <div id="search-page">
      <h2>{t('label_search')}</h2>
      <form id="search-form" method="get" action={props.action} role="search">
        <div class="box">
          <p>
            <label for="search-input" class="visually-hidden">
              {t('label_search')}
            </label>
            <input type="search" id="search-input" name="q" size={60} value={props.question} autofocus />{' '}
            {props.scopes.length > 1 ? (
              <select name="scope" aria-label={t('label_search_scope')}>
                {props.scopes.map((s) => (
                  <option value={s.value} selected={s.value === props.scope}>
                    {s.label}
                  </option>
                ))}
              </select>
            ) : null}{' '}
            <input type="hidden" name="all_words" value="" />
            <label>
              <input type="checkbox" name="all_words" value="1" checked={props.allWords} /> {t('label_all_words')}
            </label>{' '}
            <label>
              <input type="checkbox" name="titles_only" value="1" checked={props.titlesOnly} /> {t('label_search_titles_only')}
            </label>
          </p>
          <p id="search-types">
            <label>
              <input type="checkbox" name="issues" value="1" checked disabled /> {t('label_issue_plural')}
            </label>
          </p>
          <p>
            <button type="submit">{t('button_search')}</button>
          </p>
        </div>
      </form>
      {props.searched ? (
        <div id="search-results-counts">
          <h3>{t('label_result_plural_count', { count: String(props.total) })}</h3>
        </div>
      ) : null}
      {props.results.length > 0 ? (
        <dl id="search-results">
          {props.results.map((r) => (
            <>
              <dt class={`issue${r.closed ? ' closed' : ''}`}>
                {props.showProject ? <span class="project">{r.projectName} - </span> : null}
                <a href={`/issues/${r.id}`}>
                  <Highlighted text={`${r.tracker} #${r.id} (${r.status}): ${r.subject}`} words={props.words} />
                </a>
              </dt>
              <dd>
                <span class="description">
                  <Highlighted text={r.excerpt} words={props.words} />
                </span>{' '}
                <span class="author">{r.createdOn ? props.format.time(new Date(r.createdOn)) : ''}</span>
              </dd>
            </>
          ))}
        </dl>
      ) : null}
      {props.total > props.perPage ? <Pagination t={t} page={props.page} perPage={props.perPage} total={props.total} href={props.pageHref} /> : null}
    </div>
  );
}
