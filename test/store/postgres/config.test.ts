import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postgresConfig, redactUrl } from '../../../src/store/postgres/config.ts';

test('without NUDGE_DATABASE_URL Nudge stays on SQLite', () => {
  assert.equal(postgresConfig({}), null);
  assert.equal(postgresConfig({ NUDGE_DATABASE_URL: '  ' }), null);
});

test('a postgres URL selects PostgreSQL with a pool of 10 unless NUDGE_DATABASE_POOL says otherwise', () => {
  assert.deepEqual(postgresConfig({ NUDGE_DATABASE_URL: 'postgres://nudge@db.internal:5432/nudge' }), {
    url: 'postgres://nudge@db.internal:5432/nudge',
    poolSize: 10,
  });
  assert.equal(
    postgresConfig({ NUDGE_DATABASE_URL: 'postgresql://nudge@db/nudge', NUDGE_DATABASE_POOL: '4' })?.poolSize,
    4,
  );
  assert.ok(postgresConfig({ NUDGE_DATABASE_URL: 'postgres:///nudge?host=/var/run/postgresql' }));
});

test('an invalid setting is refused by name, without echoing the password', () => {
  assert.throws(
    () => postgresConfig({ NUDGE_DATABASE_URL: 'mysql://root:hunter2@db/nudge' }),
    (error: Error) => {
      assert.match(error.message, /^NUDGE_DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
      assert.doesNotMatch(error.message, /hunter2/);
      return true;
    },
  );
  assert.throws(() => postgresConfig({ NUDGE_DATABASE_URL: 'db:5432' }), /^Error: NUDGE_DATABASE_URL/);
  assert.throws(() => postgresConfig({ NUDGE_DATABASE_URL: 'postgres:///nudge' }), /must name a host/);
  for (const pool of ['0', '201', '2.5', 'ten']) {
    assert.throws(
      () => postgresConfig({ NUDGE_DATABASE_URL: 'postgres://db/nudge', NUDGE_DATABASE_POOL: pool }),
      /^Error: NUDGE_DATABASE_POOL/,
    );
  }
});

test('a redacted URL keeps everything but the password', () => {
  assert.equal(
    redactUrl('postgres://nudge:s3cret@db:5432/nudge?sslmode=require'),
    'postgres://nudge:***@db:5432/nudge?sslmode=require',
  );
  assert.equal(redactUrl('postgres://nudge@db/nudge'), 'postgres://nudge@db/nudge');
});
