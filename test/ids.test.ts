import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newId, newSecret } from '../src/ids.ts';

test('ids are prefixed UUIDv7s, unique and ordered even within one millisecond', () => {
  const ids = Array.from({ length: 5000 }, () => newId('msg'));
  for (const id of ids.slice(0, 50)) assert.match(id, /^msg_[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
  assert.equal(new Set(ids).size, ids.length);
  const sorted = [...ids].sort();
  assert.deepEqual(sorted, ids, 'later ids sort after earlier ones');
});

test('the id carries its creation time', () => {
  const before = Date.now();
  const id = newId('ct');
  const msecs = parseInt(id.slice(3, 15), 16);
  assert.ok(msecs >= before && msecs <= Date.now() + 1, `${msecs} within [${before}, now]`);
});

test('secrets are long and distinct', () => {
  const a = newSecret('wk');
  assert.match(a, /^wk_[A-Za-z0-9_-]{32}$/);
  assert.notEqual(a, newSecret('wk'));
});
