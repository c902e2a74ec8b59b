import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MalformedBodyError,
  mergeParams,
  paramBool,
  paramInt,
  paramList,
  paramObject,
  paramString,
  parseBody,
  parseQueryString,
  type ParamValue,
  type Params,
} from './params.ts';

/** Reader inputs of mixed shapes, typed as the readers take them. */
const inputs = (...values: (ParamValue | undefined)[]): (ParamValue | undefined)[] => values;

const FORM = 'application/x-www-form-urlencoded';

function assertNotPolluted(): void {
  const probe: Record<string, unknown> = {};
  assert.equal(probe['polluted'], undefined);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
}

test('query: the long filter form of the reference (§5.1) and include[]', () => {
  const query = 'set_filter=1&f[]=status_id&op[status_id]=o&f[]=updated_on&op[updated_on]=>=' +
    '&v[updated_on][]=2014-01-02T12:00:00Z&include[]=journals&include[]=watchers';
  assert.deepEqual(parseQueryString(query), {
    set_filter: '1',
    f: ['status_id', 'updated_on'],
    op: { status_id: 'o', updated_on: '>=' },
    v: { updated_on: ['2014-01-02T12:00:00Z'] },
    include: ['journals', 'watchers'],
  });
  assert.deepEqual(parseQueryString('f[]=status_id&op[status_id]=o&v[status_id][]=1'), {
    f: ['status_id'], op: { status_id: 'o' }, v: { status_id: ['1'] },
  });
  assert.deepEqual(parseQueryString('include=journals,watchers'), { include: 'journals,watchers' });
});

test('query: nested hashes, arrays and arrays of hashes', () => {
  assert.deepEqual(parseQueryString('a[b][c]=1&a[b][d]=2&a[e]=3'), { a: { b: { c: '1', d: '2' }, e: '3' } });
  assert.deepEqual(parseQueryString('a[]=1&a[]=2'), { a: ['1', '2'] });
  assert.deepEqual(parseQueryString('a[][id]=1&a[][value]=x&a[][id]=2&a[][value]=y'), {
    a: [{ id: '1', value: 'x' }, { id: '2', value: 'y' }],
  });
  assert.deepEqual(
    parseQueryString('issue[custom_fields][][id]=1&issue[custom_fields][][value]=x' +
      '&issue[custom_fields][][id]=2&issue[custom_fields][][value]=y'),
    { issue: { custom_fields: [{ id: '1', value: 'x' }, { id: '2', value: 'y' }] } },
  );
  // A repeated key starts a new hash even when the previous one is incomplete.
  assert.deepEqual(parseQueryString('a[][id]=1&a[][id]=2&a[][value]=y'), { a: [{ id: '1' }, { id: '2', value: 'y' }] });
  // Rack's own cases: a key holding `[]` never counts as repeated.
  assert.deepEqual(parseQueryString('a[][v][]=1&a[][v][]=2'), { a: [{ v: ['1', '2'] }] });
  assert.deepEqual(parseQueryString('x[][y][][z]=1&x[][y][][w]=2'), { x: [{ y: [{ z: '1', w: '2' }] }] });
  assert.deepEqual(parseQueryString('x[][y][][z]=1&x[][y][][z]=2'), { x: [{ y: [{ z: '1' }, { z: '2' }] }] });
  assert.deepEqual(parseQueryString('a[][b][c]=1&a[][b][d]=2'), { a: [{ b: { c: '1', d: '2' } }] });
  assert.deepEqual(parseQueryString('a[][]=1'), { a: [['1']] });
});

test('query: repeated plain key keeps the last value, as Rails does', () => {
  assert.deepEqual(parseQueryString('a=1&a=2'), { a: '2' });
  assert.deepEqual(parseQueryString('a[]=1&a=2'), { a: '2' });
});

test('query: + and %-decoding, keys without =, empty pieces', () => {
  assert.deepEqual(parseQueryString('subject=a+b%20c%2Bd&q=%E6%97%A5%E6%9C%AC'), { subject: 'a b c+d', q: '日本' });
  assert.deepEqual(parseQueryString('issue%5Bsubject%5D=x'), { issue: { subject: 'x' } });
  assert.deepEqual(parseQueryString('nometa&b=&c'), { nometa: '', b: '', c: '' });
  assert.deepEqual(parseQueryString('&&a=1&&=orphan&'), { a: '1' });
  assert.deepEqual(parseQueryString(''), {});
  // Malformed % sequences stay as sent rather than failing the whole request.
  assert.deepEqual(parseQueryString('a=%ZZ&b=100%'), { a: '%ZZ', b: '100%' });
});

test('query: Rack quirks for malformed names', () => {
  assert.deepEqual(parseQueryString('a[=1'), { 'a[': '1' });
  assert.deepEqual(parseQueryString('[a]=1'), { '[a]': '1' });
  assert.deepEqual(parseQueryString('a[b]c=1'), { a: { b: { c: '1' } } });
});

test('query: a type clash skips that parameter only', () => {
  assert.deepEqual(parseQueryString('a=1&a[b]=2&c[]=1&c[x]=2&d[x]=1&d[]=2&ok=1'), {
    a: '1', c: ['1'], d: { x: '1' }, ok: '1',
  });
});

test('query: stops after 1000 parameters', () => {
  const query = Array.from({ length: 1005 }, (_, i) => `p${i}=${i}`).join('&');
  const params = parseQueryString(query);
  assert.equal(Object.keys(params).length, 1000);
  assert.equal(params['p999'], '999');
  assert.equal(params['p1000'], undefined);
});

test('query: nesting deeper than 32 levels is skipped', () => {
  const name = (levels: number): string => 'a' + '[x]'.repeat(levels - 1);
  const deep = parseQueryString(`${name(32)}=1`);
  let node: unknown = deep['a'];
  for (let i = 0; i < 30; i += 1) {
    node = (node as Params)['x'];
  }
  assert.deepEqual(node, { x: '1' });
  assert.deepEqual(parseQueryString(`${name(33)}=1&ok=1`), { ok: '1' });
});

test('query: __proto__, constructor and prototype keys never pollute prototypes', () => {
  const params = parseQueryString(
    '__proto__[polluted]=1&a[__proto__][polluted]=1&constructor[prototype][polluted]=1' +
    '&a[][__proto__][polluted]=1&b[constructor]=1&prototype=1&__proto__=x&ok=1',
  );
  assertNotPolluted();
  assert.deepEqual(Object.keys(params), ['ok']);
  assert.equal(Object.getPrototypeOf(params), Object.prototype);
  // Names of Object.prototype members are ordinary keys, not inherited values.
  assert.deepEqual(parseQueryString('toString[a]=1&hasOwnProperty=2&valueOf[]=3'), {
    toString: { a: '1' }, hasOwnProperty: '2', valueOf: ['3'],
  });
});

test('body: empty or whitespace body is {} whatever the content type', () => {
  for (const type of ['application/json', 'application/xml', 'text/xml', FORM, 'text/plain', undefined]) {
    assert.deepEqual(parseBody(type, undefined), {});
    assert.deepEqual(parseBody(type, ''), {});
    assert.deepEqual(parseBody(type, ' \n\t '), {});
    assert.deepEqual(parseBody(type, Buffer.alloc(0)), {});
  }
});

test('body: unknown or missing content type gives {}', () => {
  assert.deepEqual(parseBody('text/plain', 'issue[subject]=x'), {});
  assert.deepEqual(parseBody('multipart/form-data; boundary=x', '--x--'), {});
  assert.deepEqual(parseBody('application/octet-stream', Buffer.from([1, 2, 3])), {});
  assert.deepEqual(parseBody(undefined, '{"issue":{}}'), {});
});

test('body: content types compare case-insensitively and ignore parameters', () => {
  const json = '{"issue":{"subject":"x"}}';
  assert.deepEqual(parseBody('application/json; charset=utf-8', json), { issue: { subject: 'x' } });
  assert.deepEqual(parseBody('Application/JSON;charset=UTF-8', Buffer.from(json)), { issue: { subject: 'x' } });
  assert.deepEqual(parseBody('TEXT/XML; charset=utf-8', '<issue><subject>x</subject></issue>'), { issue: { subject: 'x' } });
  assert.deepEqual(parseBody('application/x-www-form-urlencoded; charset=UTF-8', 'a=1'), { a: '1' });
  // Rails' registered synonyms of the JSON and XML MIME types.
  assert.deepEqual(parseBody('text/x-json', json), { issue: { subject: 'x' } });
  assert.deepEqual(parseBody('application/x-xml', '<issue/>'), { issue: null });
});

test('JSON: keeps the root key and JSON types', () => {
  const body = '\uFEFF{"issue":{"project_id":1,"subject":"x","is_private":false,"assigned_to_id":null,' +
    '"watcher_user_ids":[3,"5"],"custom_fields":[{"id":1,"value":["a","b"]}],"estimated_hours":1.5}}';
  assert.deepEqual(parseBody('application/json', body), {
    issue: {
      project_id: 1, subject: 'x', is_private: false, assigned_to_id: null, watcher_user_ids: [3, '5'],
      custom_fields: [{ id: 1, value: ['a', 'b'] }], estimated_hours: 1.5,
    },
  });
  assert.deepEqual(parseBody('application/json', '{"subject":"x"}'), { subject: 'x' });
});

test('JSON: invalid JSON or a non-object top level is malformed', () => {
  for (const body of ['{"issue":', '{issue: 1}', "{'a':1}", '[{"issue":{}}]', '"issue"', '42', 'true', 'null', '{"a":1} x']) {
    assert.throws(() => parseBody('application/json', body), MalformedBodyError, body);
  }
});

test('JSON: nesting deeper than 32 levels is malformed', () => {
  const nested = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
  assert.doesNotThrow(() => parseBody('application/json', nested(32)));
  assert.throws(() => parseBody('application/json', nested(33)), MalformedBodyError);
  assert.throws(() => parseBody('application/json', `{"a":${'['.repeat(40)}${']'.repeat(40)}}`), MalformedBodyError);
});

test('JSON: __proto__, constructor and prototype keys are dropped', () => {
  const body = '{"__proto__":{"polluted":1},"issue":{"subject":"x","__proto__":{"polluted":1},' +
    '"constructor":{"prototype":{"polluted":1}},"list":[{"__proto__":{"polluted":1},"id":1}]}}';
  const params = parseBody('application/json', body);
  assertNotPolluted();
  assert.deepEqual(params, { issue: { subject: 'x', list: [{ id: 1 }] } });
  const issue = paramObject(params['issue']);
  assert.ok(issue);
  assert.equal(Object.hasOwn(issue, '__proto__'), false);
  assert.equal(Object.getPrototypeOf(issue), Object.prototype);
});

test('XML: the upload example of the reference and the resource root key', () => {
  const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<issue>\n  <project_id>1</project_id>\n  <subject>x</subject>\n' +
    '  <uploads type="array">\n    <upload><token>t</token><filename>a.png</filename></upload>\n  </uploads>\n</issue>\n';
  assert.deepEqual(parseBody('application/xml', xml), {
    issue: { project_id: '1', subject: 'x', uploads: [{ token: 't', filename: 'a.png' }] },
  });
});

test('XML: arrays from type="array" and from repeated elements', () => {
  const xml = '<issue><uploads type="array"><upload><token>a</token></upload><upload><token>b</token></upload></uploads>' +
    '<watcher_user_ids type="array"><watcher_user_id>3</watcher_user_id></watcher_user_ids>' +
    '<empty type="array"/><blank type="array">\n </blank><w>1</w><w>2</w><w>3</w></issue>';
  assert.deepEqual(parseBody('text/xml', xml), {
    issue: {
      uploads: [{ token: 'a' }, { token: 'b' }], watcher_user_ids: ['3'], empty: [], blank: [], w: ['1', '2', '3'],
    },
  });
});

test('XML: empty elements, nil, type="string", whitespace text', () => {
  const xml = '<issue><description/><notes></notes><due_date nil="true">2020-01-01</due_date>' +
    '<done_ratio type="integer"/><subject type="string"/><space>  </space></issue>';
  assert.deepEqual(parseBody('application/xml', xml), {
    issue: { description: null, notes: null, due_date: null, done_ratio: null, subject: '', space: '  ' },
  });
});

test('XML: attributes (custom fields as clients send them, refs, typed text)', () => {
  const xml = '<issue><tracker id="3"/><project id="1" name="eCookbook" type="x"/>' +
    '<custom_fields type="array"><custom_field id="2"><value>1.30</value></custom_field>' +
    '<custom_field id="3" name="Multi"><value type="array"><value>a</value><value>b</value></value></custom_field>' +
    '</custom_fields><estimated_hours type="float" unit="h">2.5</estimated_hours></issue>';
  assert.deepEqual(parseBody('application/xml', xml), {
    issue: {
      tracker: { id: '3' },
      project: { id: '1', name: 'eCookbook' },
      custom_fields: [{ id: '2', value: '1.30' }, { id: '3', name: 'Multi', value: ['a', 'b'] }],
      estimated_hours: '2.5',
    },
  });
});

test('XML: entities, character references, CDATA, comments, dashes in names', () => {
  const xml = "<?xml version='1.0'?><!-- note --><issue>" +
    '<subject>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#65;&#x1F600;</subject>' +
    '<description><![CDATA[<b>bold</b> & more]]></description><fixed-version-id>2</fixed-version-id>' +
    '<?pi ignored?><notes>x<!-- inner -->y</notes></issue><!-- trailing -->\n';
  assert.deepEqual(parseBody('application/xml', xml), {
    issue: {
      subject: 'a & b <c> "d" \'e\' A😀', description: '<b>bold</b> & more', fixed_version_id: '2', notes: 'xy',
    },
  });
});

test('XML: invalid documents are malformed', () => {
  const bad = [
    '<issue>', '<issue><subject>x</issue>', '<issue></subject>', 'issue', '<issue/><project/>', '<issue/>text',
    'text<issue/>', '<issue>a & b</issue>', '<issue>&nbsp;</issue>', '<issue>&#0;</issue>', '<issue a=1/>',
    '<issue a="1" a="2"/>', '<issue a="<"/>', '<issue><!-- open</issue>', '<issue><![CDATA[x</issue>', '< issue/>',
    '<?xml version="1.0"?>', '<issue a="1"b="2"/>',
  ];
  for (const xml of bad) {
    assert.throws(() => parseBody('application/xml', xml), MalformedBodyError, xml);
  }
});

test('XML: DOCTYPE, external entities (XXE) and entity expansion are refused', () => {
  const xxe = '<?xml version="1.0"?>\n<!DOCTYPE issue [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n' +
    '<issue><subject>&xxe;</subject></issue>';
  const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
  const external = '<!DOCTYPE issue SYSTEM "http://example.invalid/issue.dtd"><issue/>';
  for (const xml of [xxe, laughs, external, '<issue><!ENTITY x "y"></issue>', '<issue>&xxe;</issue>']) {
    assert.throws(() => parseBody('application/xml', xml), MalformedBodyError, xml);
  }
});

test('XML: nesting deeper than 32 elements is malformed', () => {
  const nested = (levels: number): string => '<a>'.repeat(levels) + 'x' + '</a>'.repeat(levels);
  assert.doesNotThrow(() => parseBody('application/xml', nested(32)));
  assert.throws(() => parseBody('application/xml', nested(33)), MalformedBodyError);
});

test('XML: __proto__, constructor and prototype elements and attributes are dropped', () => {
  const xml = '<issue><__proto__><polluted>1</polluted></__proto__><constructor><prototype><polluted>1</polluted>' +
    '</prototype></constructor><ref __proto__="x" id="1"/><subject>x</subject></issue>';
  const params = parseBody('application/xml', xml);
  assertNotPolluted();
  assert.deepEqual(params, { issue: { ref: { id: '1' }, subject: 'x' } });
  assert.deepEqual(parseBody('application/xml', '<__proto__><polluted>1</polluted></__proto__>'), {});
  assertNotPolluted();
});

test('form: bracket notation of the reference', () => {
  assert.deepEqual(parseBody(FORM, 'issue[subject]=x&issue[watcher_user_ids][]=3&issue[watcher_user_ids][]=5'), {
    issue: { subject: 'x', watcher_user_ids: ['3', '5'] },
  });
  assert.deepEqual(parseBody(FORM, Buffer.from('issue[custom_field_values][1]=a+b&key=k')), {
    issue: { custom_field_values: { '1': 'a b' } }, key: 'k',
  });
});

test('form: over the limits, type clashes and bad %-encoding are malformed', () => {
  const many = Array.from({ length: 1001 }, (_, i) => `p${i}=1`).join('&');
  assert.throws(() => parseBody(FORM, many), MalformedBodyError);
  assert.equal(Object.keys(parseBody(FORM, many.slice(0, many.lastIndexOf('&')))).length, 1000);
  assert.throws(() => parseBody(FORM, `a${'[x]'.repeat(32)}=1`), MalformedBodyError);
  assert.throws(() => parseBody(FORM, 'a=1&a[b]=2'), MalformedBodyError);
  assert.throws(() => parseBody(FORM, 'a[x]=1&a[]=2'), MalformedBodyError);
  assert.throws(() => parseBody(FORM, 'a=%E3%81'), MalformedBodyError);
});

test('form: prototype keys are dropped', () => {
  const params = parseBody(FORM, '__proto__[polluted]=1&issue[constructor][prototype][polluted]=1&issue[subject]=x');
  assertNotPolluted();
  assert.deepEqual(params, { issue: { subject: 'x' } });
});

test('mergeParams: query over body (shallow), path over both', () => {
  const body: Params = { issue: { subject: 'x', notes: 'n' }, key: 'body-key', id: '9', format: 'xml' };
  const query = parseQueryString('issue[x]=1&key=query-key&limit=5');
  const merged = mergeParams(body, query, { id: '1', format: 'json' });
  assert.deepEqual(merged, { issue: { x: '1' }, key: 'query-key', id: '1', format: 'json', limit: '5' });
  assert.deepEqual(body['issue'], { subject: 'x', notes: 'n' });
  assert.deepEqual(mergeParams({ a: '1' }, {}, {}), { a: '1' });
});

test('paramString', () => {
  assert.equal(paramString('x'), 'x');
  assert.equal(paramString(''), '');
  assert.equal(paramString(5), '5');
  assert.equal(paramString(1.5), '1.5');
  assert.equal(paramString(true), 'true');
  for (const value of inputs(undefined, null, [], ['x'], {}, { a: 'x' })) {
    assert.equal(paramString(value), undefined);
  }
});

test('paramInt', () => {
  assert.equal(paramInt(5), 5);
  assert.equal(paramInt('5'), 5);
  assert.equal(paramInt('-3'), -3);
  assert.equal(paramInt(' 42 '), 42);
  assert.equal(paramInt('007'), 7);
  assert.equal(Object.is(paramInt('-0'), 0), true);
  const rejected = inputs('5x', '', ' ', '1.5', '1e3', '0x10', '99999999999999999999', 1.5, NaN, Infinity, true, null, undefined, ['5'], {});
  for (const value of rejected) {
    assert.equal(paramInt(value), undefined, JSON.stringify(value));
  }
});

test('paramBool', () => {
  for (const value of [true, 'true', 'TRUE', '1', 1]) {
    assert.equal(paramBool(value), true, String(value));
  }
  for (const value of [false, 'false', 'False', '0', 0]) {
    assert.equal(paramBool(value), false, String(value));
  }
  for (const value of inputs('', 'yes', '2', 2, null, undefined, ['1'], {})) {
    assert.equal(paramBool(value), undefined, JSON.stringify(value));
  }
});

test('paramList', () => {
  assert.deepEqual(paramList(['journals', 'watchers']), ['journals', 'watchers']);
  assert.deepEqual(paramList([1, '2', true, null, ['x'], { a: 'b' }, '']), ['1', '2', 'true', '']);
  assert.deepEqual(paramList('a,b'), ['a', 'b']);
  assert.deepEqual(paramList('journals, watchers,,'), ['journals', 'watchers']);
  assert.deepEqual(paramList('a'), ['a']);
  assert.deepEqual(paramList(''), []);
  assert.deepEqual(paramList(7), ['7']);
  assert.deepEqual(paramList(undefined), []);
  assert.deepEqual(paramList(null), []);
  assert.deepEqual(paramList({ a: 'b' }), []);
});

test('paramObject', () => {
  assert.deepEqual(paramObject({ a: '1' }), { a: '1' });
  for (const value of inputs(undefined, null, 'x', 1, [], [{ a: '1' }])) {
    assert.equal(paramObject(value), undefined);
  }
});
