/**
 * Redmine REST request parameters, parsed as Rails parses them: the query string and form bodies in
 * Rack's bracket notation, JSON bodies, and XML bodies the way actionpack-xml_parser (`Hash.from_xml`)
 * reads them. Everything lands in one plain params tree; endpoints read it through the typed readers at
 * the bottom, which coerce the Rails way (REST contract §1.2).
 *
 * Abuse guards: at most MAX_PARAMS bracket parameters, nesting at most MAX_DEPTH levels (bracket, JSON
 * and XML alike), keys that could reach a prototype (`__proto__`, `constructor`, `prototype`) are
 * dropped, and XML documents with a DOCTYPE (and so any entity declaration) are refused outright.
 */
import { unescape as unescapeLenient } from 'node:querystring';

export type ParamValue = string | boolean | number | null | ParamValue[] | { [key: string]: ParamValue };
export type Params = { [key: string]: ParamValue };

/** Thrown for a body that cannot be parsed (the API answers 400). */
export class MalformedBodyError extends Error {
  override name = 'MalformedBodyError';
}

const MAX_PARAMS = 1000;
const MAX_DEPTH = 32;
const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

function isParams(value: ParamValue | undefined): value is Params {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ownValue(params: Params, key: string): ParamValue | undefined {
  return Object.hasOwn(params, key) ? params[key] : undefined;
}

// Bracket notation (Rack 3's QueryParser)

type Source = 'query' | 'body';

/** A parameter Rack would refuse (type clash, too deep): a 400 in a body, skipped in a query string. */
class RejectedParamError extends MalformedBodyError {}

/** Rack's `params_hash_has_key?`: does `key` (possibly `a][b`-style) already exist in `hash`? */
function hasNestedKey(hash: Params, key: string): boolean {
  let current: ParamValue | undefined = hash;
  for (const part of key.split(/[[\]]+/).filter((segment) => segment !== '')) {
    current = isParams(current) ? ownValue(current, part) : undefined;
  }
  return !key.includes('[]') && current !== undefined;
}

function arrayAt(params: Params, key: string): ParamValue[] {
  const current = ownValue(params, key) ?? [];
  if (!Array.isArray(current)) {
    throw new RejectedParamError(`expected an array for parameter "${key}"`);
  }
  return current;
}

/**
 * Port of Rack::QueryParser#_normalize_params. New arrays and hashes are attached only once the rest of
 * the name went through, so a rejected parameter leaves `params` as it was.
 */
function normalize(params: Params, name: string, value: string, depth: number): Params | ParamValue[] | undefined {
  if (depth >= MAX_DEPTH) {
    throw new RejectedParamError('parameters nested too deeply');
  }
  let key: string;
  let after: string;
  if (depth === 0) {
    // The first character is never treated as an opening bracket.
    const start = name.indexOf('[', 1);
    [key, after] = start > 0 ? [name.slice(0, start), name.slice(start)] : [name, ''];
  } else if (name.startsWith('[]')) {
    [key, after] = ['[]', name.slice(2)];
  } else {
    const close = name.startsWith('[') ? name.indexOf(']', 1) : -1;
    // Without a closing bracket the whole rest is the key (Rack keeps malformed names as they are).
    [key, after] = close > 0 ? [name.slice(1, close), name.slice(close + 1)] : [name, ''];
  }
  if (key === '') {
    return undefined;
  }

  if (after === '') {
    if (key === '[]' && depth !== 0) {
      return [value];
    }
    params[key] = value;
  } else if (after === '[') {
    params[name] = value;
  } else if (after === '[]') {
    const list = arrayAt(params, key);
    list.push(value);
    params[key] = list;
  } else if (after.startsWith('[]')) {
    // a[][id]=1&a[][value]=x: fill the last hash of the array until a key repeats, then start a new one.
    const inner = after.slice(3, -1);
    const isSimple = after[2] === '[' && after.endsWith(']') && inner !== '' && !/[[\]]/.test(inner);
    const childKey = isSimple ? inner : after.slice(2);
    const list = arrayAt(params, key);
    const last = list.at(-1);
    if (isParams(last) && !hasNestedKey(last, childKey)) {
      normalize(last, childKey, value, depth + 1);
    } else {
      const item = normalize({}, childKey, value, depth + 1);
      if (item !== undefined) {
        list.push(item);
      }
    }
    params[key] = list;
  } else {
    const child = ownValue(params, key) ?? {};
    if (!isParams(child)) {
      throw new RejectedParamError(`expected a hash for parameter "${key}"`);
    }
    normalize(child, after, value, depth + 1);
    params[key] = child;
  }
  return params;
}

function decodeComponent(text: string, source: Source): string {
  const spaced = text.replaceAll('+', ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    if (source === 'body') {
      throw new MalformedBodyError('invalid %-encoding in form body');
    }
    // Malformed % sequences stay as they are, invalid UTF-8 becomes U+FFFD.
    return unescapeLenient(spaced);
  }
}

function parseBracketed(input: string, source: Source): Params {
  const params: Params = {};
  const pairs = input.split('&').filter((pair) => pair !== '');
  if (pairs.length > MAX_PARAMS && source === 'body') {
    throw new MalformedBodyError(`more than ${MAX_PARAMS} parameters`);
  }
  for (const pair of pairs.slice(0, MAX_PARAMS)) {
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq), source);
    const value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1), source);
    // Any key Rack could derive from the name is one of these bracket-free parts.
    if (name.split(/[[\]]+/).some((part) => UNSAFE_KEYS.has(part))) {
      continue;
    }
    try {
      normalize(params, name, value, 0);
    } catch (error) {
      if (source === 'body' || !(error instanceof RejectedParamError)) {
        throw error;
      }
    }
  }
  return params;
}

/** Parses a query string (without '?') in Rails bracket notation. */
export function parseQueryString(query: string): Params {
  return parseBracketed(query, 'query');
}

// JSON

/** Drops unsafe keys (JSON.parse makes `__proto__` an own key, harmless until someone copies it) and
 *  refuses nesting past MAX_DEPTH. A walk instead of a reviver: revivers make JSON.parse several times slower. */
function sanitizeJson(value: ParamValue, depth: number): void {
  if (depth > MAX_DEPTH) {
    throw new MalformedBodyError('JSON body nested too deeply');
  }
  if (isParams(value)) {
    for (const key of Object.keys(value)) {
      if (UNSAFE_KEYS.has(key)) {
        delete value[key];
      }
    }
  }
  const children = Array.isArray(value) ? value : isParams(value) ? Object.values(value) : [];
  children.forEach((child) => sanitizeJson(child, depth + 1));
}

function parseJson(text: string): Params {
  let parsed: ParamValue;
  try {
    parsed = JSON.parse(text) as ParamValue;
  } catch {
    throw new MalformedBodyError('invalid JSON body');
  }
  if (!isParams(parsed)) {
    throw new MalformedBodyError('JSON body must be an object');
  }
  sanitizeJson(parsed, 0);
  return parsed;
}

// XML: a small non-validating parser for what API clients send. It never resolves entities beyond the
// five predefined ones and character references, and refuses any `<!DOCTYPE` (so XXE and entity
// expansion cannot happen).

type XmlElement = { name: string; attributes: Map<string, string>; children: XmlElement[]; text: string };

const NAME = String.raw`[\p{L}_:][\p{L}\p{M}\p{N}_:.\u00B7-]*`;
const SPACE = '[ \\t\\r\\n]';
const ATTRIBUTE = String.raw`(${NAME})${SPACE}*=${SPACE}*(?:"([^"<]*)"|'([^'<]*)')`;
const START_TAG = new RegExp(String.raw`<(${NAME})((?:${SPACE}+${ATTRIBUTE})*)${SPACE}*(?<selfClosing>/?)>`, 'uy');
const END_TAG = new RegExp(String.raw`</(${NAME})${SPACE}*>`, 'uy');
const ATTRIBUTES = new RegExp(ATTRIBUTE, 'gu');
const PREDEFINED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['lt', '<'], ['gt', '>'], ['amp', '&'], ['quot', '"'], ['apos', "'"],
]);

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff)
    || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

function decodeXmlText(text: string): string {
  if (!text.includes('&')) {
    return text;
  }
  return text.replace(/&([^&;<\s]*)(;?)/g, (_match, ref: string, semicolon: string) => {
    const numeric = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
    const code = numeric ? Number.parseInt(numeric[1] ?? numeric[2] ?? '', numeric[1] === undefined ? 10 : 16) : NaN;
    const replacement = numeric ? (isXmlChar(code) ? String.fromCodePoint(code) : undefined) : PREDEFINED_ENTITIES.get(ref);
    if (semicolon === '' || replacement === undefined) {
      throw new MalformedBodyError(`invalid XML: bad or undeclared entity reference "&${ref}${semicolon}"`);
    }
    return replacement;
  });
}

function parseXmlDocument(xml: string): XmlElement {
  let pos = 0;
  const fail = (what: string): never => {
    throw new MalformedBodyError(`invalid XML: ${what} (at offset ${pos})`);
  };
  const skipPast = (end: string): void => {
    const found = xml.indexOf(end, pos);
    pos = found < 0 ? fail(`missing "${end}"`) : found + end.length;
  };
  const match = (pattern: RegExp, what: string): RegExpExecArray => {
    pattern.lastIndex = pos;
    const found = pattern.exec(xml) ?? fail(what);
    pos = pattern.lastIndex;
    return found;
  };

  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (pos < xml.length) {
    const open = xml.indexOf('<', pos);
    const text = xml.slice(pos, open < 0 ? xml.length : open);
    const current = stack.at(-1);
    if (current) {
      current.text += decodeXmlText(text);
    } else if (!/^[ \t\r\n]*$/.test(text)) {
      fail('text outside the root element');
    }
    if (open < 0) {
      break;
    }
    pos = open;
    if (xml.startsWith('<!--', pos)) {
      skipPast('-->');
    } else if (xml.startsWith('<![CDATA[', pos)) {
      const start = pos + 9;
      skipPast(']]>');
      (current ?? fail('CDATA outside the root element')).text += xml.slice(start, pos - 3);
    } else if (xml.startsWith('<?', pos)) {
      skipPast('?>');
    } else if (xml.startsWith('<!', pos)) {
      fail('DOCTYPE and entity declarations are not accepted');
    } else if (xml.startsWith('</', pos)) {
      const name = match(END_TAG, 'malformed end tag')[1];
      if (stack.pop()?.name !== name) {
        fail(`unexpected end tag </${name ?? ''}>`);
      }
    } else {
      if (root && !current) {
        fail('more than one root element');
      }
      const tag = match(START_TAG, 'malformed start tag');
      const [, name = '', attributeText = ''] = tag;
      const element: XmlElement = { name, attributes: new Map(), children: [], text: '' };
      for (const [, attribute = '', doubleQuoted, singleQuoted] of attributeText ? attributeText.matchAll(ATTRIBUTES) : []) {
        if (element.attributes.has(attribute)) {
          fail(`repeated attribute "${attribute}"`);
        }
        element.attributes.set(attribute, decodeXmlText(doubleQuoted ?? singleQuoted ?? ''));
      }
      if (current) {
        current.children.push(element);
      } else {
        root = element;
      }
      if (tag.groups?.['selfClosing'] === '') {
        stack.push(element);
        if (stack.length > MAX_DEPTH) {
          fail('elements nested too deeply');
        }
      }
    }
  }
  if (stack.length > 0) {
    fail(`unclosed element <${stack.at(-1)?.name ?? ''}>`);
  }
  return root ?? fail('no root element');
}

/** Rails turns dashes in XML names into underscores. */
function xmlKey(name: string): string {
  return name.includes('-') ? name.replaceAll('-', '_') : name;
}

/**
 * `Hash.from_xml` semantics: `type="array"` → array of the children; `nil="true"` → null; children →
 * hash (attributes merged in, a repeated child name → array); text → string (attributes dropped);
 * attributes only → hash of them; empty → null (`""` for `type="string"`). No other type casting.
 */
function xmlValue(element: XmlElement): ParamValue {
  if (element.attributes.size === 0 && element.children.length === 0) {
    return element.text === '' ? null : element.text;
  }
  const type = element.attributes.get('type');
  if (type === 'array') {
    return element.children.map(xmlValue);
  }
  if (element.attributes.get('nil') === 'true') {
    return null;
  }
  const attributes = [...element.attributes]
    .map(([name, value]): [string, ParamValue] => [xmlKey(name), value])
    .filter(([key]) => key !== 'type' && key !== 'nil' && !UNSAFE_KEYS.has(key));
  if (element.children.length > 0) {
    const grouped = new Map<string, ParamValue[]>();
    const entries = [...attributes, ...element.children.map((child) => [xmlKey(child.name), xmlValue(child)] as const)];
    for (const [key, value] of entries) {
      if (!UNSAFE_KEYS.has(key)) {
        const values = grouped.get(key) ?? [];
        values.push(value);
        grouped.set(key, values);
      }
    }
    return Object.fromEntries([...grouped].map(([key, values]) => [key, values.length === 1 ? (values[0] ?? null) : values]));
  }
  if (element.text.trim() !== '' || (element.text !== '' && attributes.length === 0)) {
    return element.text;
  }
  if (attributes.length > 0) {
    return Object.fromEntries(attributes);
  }
  return type === 'string' ? '' : null;
}

function parseXml(text: string): Params {
  const root = parseXmlDocument(text);
  const key = xmlKey(root.name);
  return UNSAFE_KEYS.has(key) ? {} : { [key]: xmlValue(root) };
}

// Bodies and merging

const JSON_TYPES: ReadonlySet<string> = new Set(['application/json', 'text/x-json', 'application/jsonrequest']);
const XML_TYPES: ReadonlySet<string> = new Set(['application/xml', 'text/xml', 'application/x-xml']);

/** Parses a request body by its content type; empty/whitespace body → {} whatever the type (clients send
 *  Content-Type: application/json on GET/DELETE with no body). Unknown content types → {}. */
export function parseBody(contentType: string | undefined, body: string | Buffer | undefined): Params {
  const text = (typeof body === 'string' ? body : (body?.toString('utf8') ?? '')).replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    return {};
  }
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (JSON_TYPES.has(mediaType)) {
    return parseJson(text);
  }
  if (XML_TYPES.has(mediaType)) {
    return parseXml(text);
  }
  if (mediaType === 'application/x-www-form-urlencoded') {
    return parseBracketed(text, 'body');
  }
  return {};
}

/** Query params merged over body params (top-level key clash: query wins, shallow), then path params over both. */
export function mergeParams(body: Params, query: Params, path: Record<string, string>): Params {
  return { ...body, ...query, ...path };
}

// Typed readers (Rails-style coercion)

/** A scalar as a string (numbers and booleans spelled out); null, arrays and hashes → undefined. */
export function paramString(p: ParamValue | undefined): string | undefined {
  return typeof p === 'string' || typeof p === 'number' || typeof p === 'boolean' ? String(p) : undefined;
}

/** An integer given as a number or a decimal string (`5`, `"5"`, `" -3 "`); anything else → undefined. */
export function paramInt(p: ParamValue | undefined): number | undefined {
  const n = typeof p === 'number' ? p : typeof p === 'string' && /^\s*[+-]?\d+\s*$/.test(p) ? Number(p) : NaN;
  return Number.isSafeInteger(n) ? n + 0 : undefined; // + 0 turns "-0" into 0
}

/** true/"true"/"1"/1 → true; false/"false"/"0"/0 → false (words case-insensitive); else undefined. */
export function paramBool(p: ParamValue | undefined): boolean | undefined {
  const s = typeof p === 'string' ? p.toLowerCase() : p;
  if (s === true || s === 1 || s === 'true' || s === '1') {
    return true;
  }
  return s === false || s === 0 || s === 'false' || s === '0' ? false : undefined;
}

/**
 * An array → its scalar items as strings (items kept as sent, `""` included); a string → split on
 * commas, trimmed, blanks dropped (`include=journals, watchers`); another scalar → [it]; else [].
 */
export function paramList(p: ParamValue | undefined): string[] {
  if (typeof p === 'string') {
    return p.split(',').map((item) => item.trim()).filter((item) => item !== '');
  }
  return (Array.isArray(p) ? p : [p]).flatMap((item) => paramString(item) ?? []);
}

/**
 * Record ids as Rails' `*_ids=` writers take them (`compact_blank`, then `to_i`): blanks dropped,
 * junk becomes 0 (which names no record), e.g. `user_ids`, `group_ids`.
 */
export function paramIdList(p: ParamValue | undefined): number[] {
  return paramList(p)
    .filter((item) => item.trim() !== '')
    .map((item) => {
      const n = Number.parseInt(item, 10);
      return Number.isSafeInteger(n) ? n : 0;
    });
}

/** `include=a,b` (or `include[]=a&include[]=b`): the names of the associations asked for. */
export function includesOf(params: Params): Set<string> {
  return new Set(paramList(params.include).flatMap((v) => v.split(',')).map((v) => v.trim()));
}

/** A hash (not an array, not null), else undefined. */
export function paramObject(p: ParamValue | undefined): Params | undefined {
  return isParams(p) ? p : undefined;
}
