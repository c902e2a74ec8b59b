import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collection, float, list, node, ref, resource, time } from './resource.ts';
import { writeJson, writeXml } from './writers.ts';

const issue = {
  id: 1,
  project: ref({ id: 1, name: 'eCookbook' }),
  status: ref({ id: 1, name: 'New', is_closed: false }),
  subject: 'Fix <html> & "quotes"',
  description: null,
  estimated_hours: float(2),
  spent_hours: float(7.65),
  done_ratio: 0,
  created_on: time(new Date('2006-07-19T17:12:21.123Z')),
  custom_fields: list('custom_field', [
    node({ id: 1, name: 'Database' }, { value: 'MySQL' }),
    node({ id: 7, name: 'Platforms', multiple: true }, { value: list('value', ['Linux', 'Windows']) }),
  ]),
  absent: undefined,
};

test('JSON: floats keep a decimal point, times have no fraction, absent keys vanish', () => {
  assert.equal(
    writeJson(resource('issue', issue)),
    '{"issue":{"id":1,"project":{"id":1,"name":"eCookbook"},"status":{"id":1,"name":"New","is_closed":false},' +
      '"subject":"Fix <html> & \\"quotes\\"","description":null,"estimated_hours":2.0,"spent_hours":7.65,"done_ratio":0,' +
      '"created_on":"2006-07-19T17:12:21Z","custom_fields":[{"id":1,"name":"Database","value":"MySQL"},' +
      '{"id":7,"name":"Platforms","multiple":true,"value":["Linux","Windows"]}]}}',
  );
});

test('JSON collections carry their meta beside the array, or none', () => {
  assert.equal(writeJson(collection('trackers', 'tracker', [{ id: 1 }])), '{"trackers":[{"id":1}]}');
  assert.equal(
    writeJson(collection('issues', 'issue', [], { totalCount: 0, offset: 0, limit: 25 })),
    '{"issues":[],"total_count":0,"offset":0,"limit":25}',
  );
  assert.equal(writeJson(collection('versions', 'version', [], { totalCount: 3 })), '{"versions":[],"total_count":3}');
});

test('XML: refs are attribute elements, nodes keep attributes, arrays are typed, text escaped', () => {
  assert.equal(
    writeXml(resource('issue', issue)),
    '<?xml version="1.0" encoding="UTF-8"?><issue><id>1</id><project id="1" name="eCookbook"/>' +
      '<status id="1" name="New" is_closed="false"/><subject>Fix &lt;html&gt; &amp; &quot;quotes&quot;</subject>' +
      '<description/><estimated_hours>2.0</estimated_hours><spent_hours>7.65</spent_hours><done_ratio>0</done_ratio>' +
      '<created_on>2006-07-19T17:12:21Z</created_on><custom_fields type="array">' +
      '<custom_field id="1" name="Database"><value>MySQL</value></custom_field>' +
      '<custom_field id="7" name="Platforms" multiple="true"><value type="array"><value>Linux</value><value>Windows</value></value></custom_field>' +
      '</custom_fields></issue>',
  );
  assert.equal(
    writeXml(collection('issues', 'issue', [{ id: 2 }], { totalCount: 1, offset: 0, limit: 25 })),
    '<?xml version="1.0" encoding="UTF-8"?><issues type="array" total_count="1" offset="0" limit="25"><issue><id>2</id></issue></issues>',
  );
  assert.equal(writeXml(resource('x', { s: 'a\u0000b\u001fc' })), '<?xml version="1.0" encoding="UTF-8"?><x><s>abc</s></x>');
});
