/**
 * The last step of every formatted text: an allow-list of the tags and attributes Redmine's formatted
 * text uses, links only to http(s), mailto and relative addresses, images only from http(s) and
 * relative ones. No event handlers, no style (the CSP would refuse inline styles anyway: alignment
 * becomes a class), no forms, frames, objects or scripts. Entities are decoded before a URL's scheme
 * is checked, so `jav&#x61;script:` is refused like `javascript:`.
 */
import sanitizeHtml from 'sanitize-html';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

const ALLOWED_TAGS = [
  ...HEADINGS,
  'a', 'abbr', 'acronym', 'b', 'blockquote', 'br', 'caption', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'details', 'dfn', 'div',
  'dl', 'dt', 'em', 'hr', 'i', 'img', 'input', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp',
  'small', 'span', 'strike', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul', 'var',
];

/** Classes the pipeline writes (links, macros, task lists, alignment) and code languages. */
const ALLOWED_CLASSES = [
  'issue', 'closed', 'tracker-*', 'status-*', 'priority-*', 'user', 'active', 'user-mention', 'version', 'project', 'attachment',
  'wiki-page', 'new', 'wiki-anchor', 'external', 'email', 'toc', 'right', 'left', 'collapsible', 'collapsed-text', 'thumbnail',
  'task-list-item', 'task-list-item-checkbox', 'contains-task-list', 'macro-error', 'footnote', 'language-*', 'syntaxhl',
  'text-left', 'text-right', 'text-center', 'text-justify',
];

const ALIGNMENT = /(?:^|;)\s*text-align\s*:\s*(left|right|center|justify)\s*(?:;|$)/i;
const FOOTNOTE_ID = /^fnr?\d{1,4}$/;

function transform(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const attributes: Record<string, string> = { ...attribs };
  const alignment = attributes.style && ALIGNMENT.exec(attributes.style)?.[1];
  delete attributes.style;
  if (alignment) {
    attributes.class = `${attributes.class ?? ''} text-${alignment.toLowerCase()}`.trim();
  }
  if ((tagName === 'sup' || tagName === 'p') && attributes.id !== undefined && !FOOTNOTE_ID.test(attributes.id)) {
    delete attributes.id;
  }
  if (tagName === 'a' && attributes.href !== undefined) {
    const href = attributes.href.trim();
    if (/^https?:/i.test(href)) {
      attributes.class = `${attributes.class ?? ''} external`.trim();
      attributes.rel = 'noopener noreferrer';
    } else if (/^mailto:/i.test(href)) {
      attributes.class = `${attributes.class ?? ''} email`.trim();
    } else {
      delete attributes.rel;
    }
  }
  if (tagName === 'input') {
    // Only the disabled checkboxes of task lists.
    return {
      tagName,
      attribs: { type: 'checkbox', class: 'task-list-item-checkbox', disabled: 'disabled', ...(attributes.checked !== undefined ? { checked: 'checked' } : {}) },
    };
  }
  return { tagName, attribs: attributes };
}

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    '*': ['class', 'title'],
    a: ['href', 'rel'],
    img: ['src', 'alt', 'width', 'height', 'loading'],
    input: ['type', 'checked', 'disabled'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan', 'scope'],
    col: ['span'],
    colgroup: ['span'],
    ol: ['start', 'type', 'reversed'],
    li: ['value'],
    sup: ['id'],
    p: ['id'],
    ...Object.fromEntries(HEADINGS.map((h) => [h, ['id']])),
  },
  allowedClasses: { '*': ALLOWED_CLASSES },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  allowedStyles: {},
  disallowedTagsMode: 'discard',
  transformTags: { '*': transform },
};

/** Formatted HTML reduced to what is safe to show. */
export function sanitizeWikiHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}
