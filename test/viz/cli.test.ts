/**
 * `npm run viz -- --contact ID`: prints the contact's path from the SQLite file (read-only,
 * with or without a running server) and a link to the page.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../../src/viz/cli.ts';
import { makeCore } from '../helpers/core.ts';
import { databaseFingerprint } from './helpers.ts';

async function contactWithHistory(t: Parameters<typeof makeCore>[0]) {
  const core = makeCore(t);
  const rt = core.services.runtime;
  const contact = rt.createContact(core.botId, { name: 'Ana' });
  await rt.inbound({ contactId: contact.id, text: 'hello there' });
  await rt.outbound({ contactId: contact.id, sender: 'bot', text: 'Hi Ana!' });
  await core.advance(60 * 60_000); // stoppedReplying step 1 is sent, step 2 armed
  await rt.inbound({ contactId: contact.id, text: 'call me at+90' });
  await core.settle();
  return { core, contact };
}

describe('npm run viz', () => {
  test('prints the path with events, effects and a link; reads without writing', async (t) => {
    const { core, contact } = await contactWithHistory(t);
    core.services.committer.flush();
    // The service's own background checkpointer (asked after every commit) legitimately
    // copies those commits into the file; stop it so the comparison sees only the CLI.
    await core.services.checkpointer?.stop();
    const before = databaseFingerprint(core.services);
    const result = runCli(['--contact', contact.id, '--data-dir', core.dir, '--url', 'http://127.0.0.1:4321/']);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    const out = result.stdout;
    assert.match(out, new RegExp(`contact ${contact.id} \\(Ana · bot Test Salon`));
    assert.match(out, /now: scheduled, epoch \d+, 4 logged events/);
    assert.match(out, /#1 {2}2026-01-05 09:00:00Z {2}CONTACT_MESSAGE +active \(stays\)/);
    assert.match(out, /#2 .* BOT_MESSAGE +active → awaiting/);
    assert.match(out, /#3 {2}2026-01-05 10:00:00Z {2}FOLLOWUP_DUE +awaiting \(stays\)/);
    assert.match(
      out,
      /effects: send stoppedReplying#1 via livechat; workflow stoppedReplying#1; armed stoppedReplying#2 due 2026-01-06 10:00:00Z \[cancelled: contact_replied\]/,
    );
    assert.match(
      out,
      /#4 .* CONTACT_MESSAGE +awaiting → scheduled\n +contact: "call me at\+90" → request_time @ 2026-01-05T11:30:00.000Z/,
    );
    assert.match(out, /replay: all 4 entries reproduce the stored states and effects; the final snapshot matches\./);
    assert.match(out, /pending timers:\n {2}requestedTime step 1 on scheduled, due 2026-01-05 11:30:00Z/);
    assert.match(out, new RegExp(`open: http://127\\.0\\.0\\.1:4321/viz#contact=${contact.id}\\n$`));
    assert.deepEqual(databaseFingerprint(core.services), before);

    const json = runCli(['--contact', contact.id, '--data-dir', core.dir, '--json']);
    assert.equal(json.code, 0);
    assert.equal(JSON.parse(json.stdout).entries.length, 4);
  });

  test('works on a database no server has open, as a real process', async (t) => {
    const { core, contact } = await contactWithHistory(t);
    await core.services.close();
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/viz/cli.ts', '--contact', contact.id, '--data-dir', core.dir],
      {
        cwd: join(import.meta.dirname, '..', '..'),
        encoding: 'utf8',
        env: { ...process.env, PORT: '3999' },
      },
    );
    assert.equal(child.stderr, '');
    assert.equal(child.status, 0);
    assert.match(child.stdout, /awaiting → scheduled/);
    assert.match(child.stdout, new RegExp(`open: http://127\\.0\\.0\\.1:3999/viz#contact=${contact.id}`));
  });

  test('clear errors and exit codes', async (t) => {
    const { core } = await contactWithHistory(t);
    const missing = runCli(['--contact', 'ct_nope', '--data-dir', core.dir]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /contact ct_nope not found in .*nudge\.sqlite/);
    const noDb = runCli(['--contact', 'x', '--data-dir', join(core.dir, 'elsewhere')]);
    assert.equal(noDb.code, 2);
    assert.match(noDb.stderr, /cannot open .*elsewhere\/nudge\.sqlite read-only: no database at/);
    const usage = runCli([]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--contact is required\nusage: npm run viz/);
    const unknown = runCli(['--contact', 'x', '--colour']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown option '--colour'/);
    const badUrl = runCli(['--contact', 'x', '--data-dir', core.dir, '--url', 'localhost']);
    assert.equal(badUrl.code, 2);
    assert.match(badUrl.stderr, /--url must be an absolute URL/);
  });

  test('exits 3 when the replay disagrees with the stored data', async (t) => {
    const { core, contact } = await contactWithHistory(t);
    core.services.db
      .prepare(`UPDATE transitions SET to_state = 'booked' WHERE contact_id = ? AND seq = 2`)
      .run(contact.id);
    const result = runCli(['--contact', contact.id, '--data-dir', core.dir]);
    assert.equal(result.code, 3);
    assert.match(
      result.stdout,
      /#2 .* BOT_MESSAGE +active → booked\n(.*\n)*? +!! MISMATCH: stored to=booked, the replay went to awaiting/,
    );
    assert.match(result.stdout, /replay: 1 disagreement with the stored data/);
  });
});
