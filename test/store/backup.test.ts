/**
 * Backup and restore: a backup is one consistent state of the live database, taken while
 * the server writes; a restore into another data dir brings back every acknowledged
 * message and pending follow-up, refuses while a server has the database open, checks
 * what it restores and keeps the database it replaces.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { FakeClock } from '../../src/clock.ts';
import { runOps } from '../../src/opsCli.ts';
import { migrations } from '../../src/store/migrations.ts';
import { api, makeServer } from '../helpers/server.ts';

function tempDir(t: TestContext, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A server whose contacts each wrote once and got a bot reply: one pending follow-up each. */
async function busyServer(t: TestContext) {
  const server = await makeServer(t, { clock: new FakeClock('2026-01-05T15:00:00Z') });
  const http = api(server);
  await http.patch(`/api/bots/${server.demoBotId}/config`, {
    scenarios: { stoppedReplying: { cadence: [{ delay: '1h' }] } },
  });
  const acked: string[] = [];
  /** One contact, one inbound message (recorded once acknowledged), one bot reply. */
  const conversation = async (n: number) => {
    const contact = (await http.post(`/api/bots/${server.demoBotId}/contacts`, { name: `c${n}` })).body;
    const inbound = await http.post(`/api/contacts/${contact.id}/messages/inbound`, { text: `hello ${n}` });
    assert.equal(inbound.status, 201);
    acked.push(inbound.body.message.id);
    const outbound = await http.post(`/api/contacts/${contact.id}/messages/outbound`, { text: `hi ${n}` });
    assert.equal(outbound.status, 201);
    acked.push(outbound.body.message.id);
  };
  for (let n = 0; n < 40; n++) await conversation(n);
  // Load for as long as the test wants: four writers, each one conversation after another.
  let loading = true;
  let n = 1000;
  const writers = Array.from({ length: 4 }, async () => {
    while (loading) await conversation(n++);
  });
  const stopLoad = async () => {
    loading = false;
    await Promise.all(writers);
  };
  t.after(stopLoad);
  const pendingFollowUps = () =>
    (
      server.services.db.prepare("SELECT id FROM followups WHERE status = 'pending' AND kind = 'followup'").all() as {
        id: string;
      }[]
    ).map((row) => row.id);
  return { server, http, acked, stopLoad, pendingFollowUps };
}

function restoredRows(database: string) {
  const db = new Database(database, { readonly: true });
  try {
    return {
      messages: new Set((db.prepare('SELECT id FROM messages').all() as { id: string }[]).map((row) => row.id)),
      pending: new Set(
        (db.prepare("SELECT id FROM followups WHERE status = 'pending'").all() as { id: string }[]).map(
          (row) => row.id,
        ),
      ),
      orphans: (
        db
          .prepare(
            'SELECT count(*) AS n FROM messages m WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = m.contact_id)',
          )
          .get() as { n: number }
      ).n,
    };
  } finally {
    db.close();
  }
}

test(
  'a backup streamed by GET /api/admin/backup under load restores every acknowledged message and pending follow-up',
  { timeout: 60_000 },
  async (t) => {
    const { server, acked, stopLoad, pendingFollowUps } = await busyServer(t);
    const ackedBefore = [...acked];
    const pendingBefore = pendingFollowUps();
    assert.ok(pendingBefore.length >= 40, `${pendingBefore.length} pending follow-ups`);

    const response = await fetch(`${server.url}/api/admin/backup`, {
      headers: { authorization: 'Bearer test-admin-token' },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/vnd.sqlite3');
    assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="nudge-.*\.sqlite"$/);
    const backup = join(tempDir(t, 'nudge-backup-'), 'backup.sqlite');
    writeFileSync(backup, Buffer.from(await response.arrayBuffer()));
    const ackedDuring = acked.length - ackedBefore.length;
    await stopLoad();
    assert.ok(ackedDuring > 0, 'messages were acknowledged while the backup ran');

    const dataDir = tempDir(t, 'nudge-restored-');
    const restored = await runOps(['restore', '--from', backup, '--data-dir', dataDir]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /integrity ok/);
    assert.match(restored.stdout, /there was no previous database/);
    const rows = restoredRows(join(dataDir, 'nudge.sqlite'));
    for (const id of ackedBefore) assert.ok(rows.messages.has(id), `acknowledged message ${id} is in the backup`);
    for (const id of pendingBefore) assert.ok(rows.pending.has(id), `pending follow-up ${id} is in the backup`);
    assert.equal(rows.orphans, 0);
    for (let waited = 0; readdirTemp(server.dataDir).length > 0 && waited < 5000; waited += 20)
      await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(readdirTemp(server.dataDir), [], 'the temporary copy is deleted once sent');

    // The restored data dir serves: the contacts and their pending follow-ups are there.
    const again = await makeServer(t, { dataDir, clock: new FakeClock('2026-01-05T15:00:00Z') });
    assert.ok(again.services.scheduler.nextDue(), 'the scheduler knows the restored follow-ups');
  },
);

function readdirTemp(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith('.backup-'));
}

test('only an admin may take a backup over HTTP', async (t) => {
  const server = await makeServer(t);
  assert.equal((await fetch(`${server.url}/api/admin/backup`)).status, 401);
  const operator = (await api(server).post('/api/operators', { name: 'ann', admin: false, botIds: [server.demoBotId] }))
    .body;
  const refused = await fetch(`${server.url}/api/admin/backup`, {
    headers: { authorization: `Bearer ${operator.token}` },
  });
  assert.equal(refused.status, 403);
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'forbidden');
});

test(
  'npm run backup copies the live database on a connection of its own while the server writes',
  { timeout: 60_000 },
  async (t) => {
    const { server, acked, stopLoad, pendingFollowUps } = await busyServer(t);
    const ackedBefore = [...acked];
    const pendingBefore = pendingFollowUps();
    const backup = join(tempDir(t, 'nudge-backup-'), 'cli.sqlite');
    const result = await runOps(['backup', '--to', backup, '--data-dir', server.dataDir]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /integrity ok/);
    await stopLoad();
    const again = await runOps(['backup', '--to', backup, '--data-dir', server.dataDir]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);

    const dataDir = tempDir(t, 'nudge-restored-');
    assert.equal((await runOps(['restore', '--from', backup, '--data-dir', dataDir])).code, 0);
    const rows = restoredRows(join(dataDir, 'nudge.sqlite'));
    for (const id of ackedBefore) assert.ok(rows.messages.has(id), `acknowledged message ${id} is in the backup`);
    for (const id of pendingBefore) assert.ok(rows.pending.has(id), `pending follow-up ${id} is in the backup`);
  },
);

test('restore refuses while a server has the database open, and changes nothing', async (t) => {
  const server = await makeServer(t);
  const backup = join(tempDir(t, 'nudge-backup-'), 'b.sqlite');
  assert.equal((await runOps(['backup', '--to', backup, '--data-dir', server.dataDir])).code, 0);
  const before = readFileSync(join(server.dataDir, 'nudge.sqlite'));
  const refused = await runOps(['restore', '--from', backup, '--data-dir', server.dataDir]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /in use by another Nudge process: pid \d+/);
  assert.ok(readFileSync(join(server.dataDir, 'nudge.sqlite')).equals(before));
  assert.ok((await api(server).get('/api/bots')).status === 200, 'the server still serves');
});

test('restore keeps the database it replaces, and refuses files that are not a Nudge backup of a known version', async (t) => {
  const server = await makeServer(t);
  const dir = tempDir(t, 'nudge-backup-');
  const backup = join(dir, 'b.sqlite');
  assert.equal((await runOps(['backup', '--to', backup, '--data-dir', server.dataDir])).code, 0);
  const dataDir = tempDir(t, 'nudge-restored-');
  assert.equal((await runOps(['restore', '--from', backup, '--data-dir', dataDir])).code, 0);
  const second = await runOps(['restore', '--from', backup, '--data-dir', dataDir]);
  assert.equal(second.code, 0, second.stderr);
  const kept = /kept as (\S+)/.exec(second.stdout)?.[1];
  assert.ok(kept && existsSync(kept), second.stdout);
  assert.equal(restoredRows(kept).messages.size, restoredRows(join(dataDir, 'nudge.sqlite')).messages.size);

  const current = readFileSync(join(dataDir, 'nudge.sqlite'));
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'not a database at all, just some text that is long enough to have a header');
  const notSqlite = await runOps(['restore', '--from', text, '--data-dir', dataDir]);
  assert.equal(notSqlite.code, 1);
  assert.match(notSqlite.stderr, /not a SQLite database/);

  const newer = join(dir, 'newer.sqlite');
  const db = new Database(newer);
  db.exec(
    'CREATE TABLE bots (id); CREATE TABLE contacts (id); CREATE TABLE messages (id); CREATE TABLE followups (id)',
  );
  db.pragma(`user_version = ${migrations.length + 1}`);
  db.close();
  const tooNew = await runOps(['restore', '--from', newer, '--data-dir', dataDir]);
  assert.equal(tooNew.code, 1);
  assert.match(tooNew.stderr, new RegExp(`schema version ${migrations.length + 1}, newer than this build knows`));

  const foreign = join(dir, 'foreign.sqlite');
  const other = new Database(foreign);
  other.exec('CREATE TABLE notes (id)');
  other.pragma('user_version = 3');
  other.close();
  const notNudge = await runOps(['restore', '--from', foreign, '--data-dir', dataDir]);
  assert.equal(notNudge.code, 1);
  assert.match(notNudge.stderr, /not a Nudge database \(no bots table\)/);
  assert.ok(readFileSync(join(dataDir, 'nudge.sqlite')).equals(current), 'a refused restore changes nothing');

  assert.equal((await runOps(['restore'])).code, 2);
  assert.equal((await runOps(['backup', '--to', join(dir, 'x.sqlite'), '--data-dir', join(dir, 'empty')])).code, 1);
});
