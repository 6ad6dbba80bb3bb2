import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fnv1a32, partitionOf } from '../../src/cluster/partitions.ts';

test('the hash is FNV-1a over UTF-8 bytes: published vectors, and non-ASCII ids hash by their bytes', () => {
  assert.equal(fnv1a32(''), 0x811c9dc5);
  assert.equal(fnv1a32('a'), 0xe40c292c);
  assert.equal(fnv1a32('foobar'), 0xbf9cf968);
  assert.equal(fnv1a32('é'), fnv1a32('\u00e9'));
  assert.notEqual(fnv1a32('é'), fnv1a32('e\u0301'), 'ids are hashed as given, not normalised');
});

test('a contact’s partition never changes: these values are stored in databases', () => {
  assert.deepEqual(
    ['c_1', 'c_2', 'ct_01HZX3', 'contact-Ω'].map((id) => partitionOf(id, 64)),
    [50, 31, 55, 63],
  );
});

test('contacts spread evenly: 64,000 ids over 64 partitions, each within 10 % of the mean', () => {
  const counts = new Array(64).fill(0);
  for (let i = 0; i < 64_000; i++) counts[partitionOf(`c_${i}`, 64)]++;
  assert.ok(
    Math.min(...counts) >= 900 && Math.max(...counts) <= 1_100,
    `${Math.min(...counts)}–${Math.max(...counts)}`,
  );
});
