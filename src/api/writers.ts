/** The one JSON writer and the one XML writer of API documents (Redmine's builder rules, §1.4/§1.6). */
import { isTagged, TAG, type ApiDocument, type ApiObject, type ApiValue, type Scalar } from './resource.ts';

/** `2006-07-19T17:12:21Z`: clients parse exactly this, so no milliseconds. */
export function formatTime(date: Date | string): string {
  if (typeof date === 'string') {
    return date;
  }
  const iso = date.toISOString();
  // `YYYY-MM-DDTHH:mm:ss.sssZ` for years 0–9999; other years have a sign and more digits.
  return iso.length === 24 ? `${iso.slice(0, 19)}Z` : iso.replace(/\.\d{3}Z$/, 'Z');
}

/** A float with at least one decimal digit (`2.0`), as Ruby prints it. */
export function formatFloat(n: number): string {
  if (!Number.isFinite(n)) {
    return 'null';
  }
  const text = String(n);
  return Number.isInteger(n) && !/e/i.test(text) ? `${text}.0` : text;
}

// ---------- JSON ----------

export function writeJson(doc: ApiDocument): string {
  if (doc.kind === 'resource') {
    return `{${JSON.stringify(doc.root)}:${jsonValue(doc.value)}}`;
  }
  const items = `[${doc.items.map(jsonValue).join(',')}]`;
  let out = `{${JSON.stringify(doc.root)}:${items}`;
  if (doc.meta) {
    out += `,"total_count":${doc.meta.totalCount}`;
    if (doc.meta.offset !== undefined) {
      out += `,"offset":${doc.meta.offset}`;
    }
    if (doc.meta.limit !== undefined) {
      out += `,"limit":${doc.meta.limit}`;
    }
  }
  return out + '}';
}

function jsonValue(value: ApiValue): string {
  if (value === null || typeof value !== 'object') {
    return jsonScalar(value);
  }
  if (isTagged(value)) {
    switch (value[TAG]) {
      case 'float':
      case 'time':
        return jsonScalar(value);
      case 'ref':
        return `{${jsonMembers(value.fields)}}`;
      case 'node': {
        const attributes = jsonMembers(value.attributes);
        const fields = jsonMembers(value.fields);
        return `{${attributes}${attributes && fields ? ',' : ''}${fields}}`;
      }
      case 'list':
        return `[${value.items.map(jsonValue).join(',')}]`;
    }
  }
  return `{${jsonMembers(value)}}`;
}

/** `"key":` for each member name; the names are the API's own, a few hundred at most. */
const memberPrefixes = new Map<string, string>();

function memberPrefix(key: string): string {
  let prefix = memberPrefixes.get(key);
  if (prefix === undefined) {
    prefix = `${JSON.stringify(key)}:`;
    if (memberPrefixes.size < 4096) {
      memberPrefixes.set(key, prefix);
    }
  }
  return prefix;
}

/**
 * The members of an object, comma-separated, without braces; undefined values are left out. The
 * writer runs for every item of every list answer, so it concatenates rather than building arrays.
 */
function jsonMembers(fields: ApiObject): string {
  let out = '';
  for (const key in fields) {
    const v = fields[key];
    if (v !== undefined) {
      out += out === '' ? memberPrefix(key) + jsonValue(v) : `,${memberPrefix(key)}${jsonValue(v)}`;
    }
  }
  return out;
}

function jsonScalar(value: Scalar): string {
  if (value === null) {
    return 'null';
  }
  if (typeof value === 'object') {
    return value[TAG] === 'float' ? formatFloat(value.value) : JSON.stringify(formatTime(value.value));
  }
  return JSON.stringify(value);
}

// ---------- XML ----------

export function writeXml(doc: ApiDocument): string {
  const head = '<?xml version="1.0" encoding="UTF-8"?>';
  if (doc.kind === 'resource') {
    return head + xmlElement(doc.root, doc.value);
  }
  const meta = doc.meta
    ? ` total_count="${doc.meta.totalCount}"` +
      (doc.meta.offset !== undefined ? ` offset="${doc.meta.offset}"` : '') +
      (doc.meta.limit !== undefined ? ` limit="${doc.meta.limit}"` : '')
    : '';
  return `${head}<${doc.root} type="array"${meta}>${doc.items.map((item) => xmlElement(doc.itemName, item)).join('')}</${doc.root}>`;
}

function xmlElement(name: string, value: ApiValue): string {
  if (value === null) {
    return `<${name}/>`;
  }
  if (typeof value !== 'object') {
    return `<${name}>${escapeXml(xmlScalarText(value))}</${name}>`;
  }
  if (isTagged(value)) {
    switch (value[TAG]) {
      case 'float':
      case 'time':
        return `<${name}>${escapeXml(xmlScalarText(value))}</${name}>`;
      case 'ref':
        return `<${name}${xmlAttributes(value.fields)}/>`;
      case 'node':
        return `<${name}${xmlAttributes(value.attributes)}>${xmlChildren(value.fields)}</${name}>`;
      case 'list':
        return `<${name} type="array">${value.items.map((item) => xmlElement(value.itemName, item)).join('')}</${name}>`;
    }
  }
  return `<${name}>${xmlChildren(value)}</${name}>`;
}

function xmlChildren(fields: ApiObject): string {
  return Object.entries(fields)
    .filter((entry): entry is [string, ApiValue] => entry[1] !== undefined)
    .map(([key, v]) => xmlElement(key, v))
    .join('');
}

function xmlAttributes(fields: Readonly<Record<string, Scalar>>): string {
  return Object.entries(fields)
    .map(([key, v]) => ` ${key}="${escapeXml(v === null ? '' : xmlScalarText(v))}"`)
    .join('');
}

function xmlScalarText(value: Exclude<Scalar, null>): string {
  if (typeof value === 'object') {
    return value[TAG] === 'float' ? formatFloat(value.value) : formatTime(value.value);
  }
  return String(value);
}

/** Escapes markup and drops the control characters XML 1.0 cannot carry at all. */
const XML_ENTITIES: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g, '').replace(/[<>&"']/g, (c) => XML_ENTITIES[c] ?? c);
}
