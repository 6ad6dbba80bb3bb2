/**
 * Crash safety: a child process runs the real runtime on a real SQLite file and is killed
 * with SIGKILL at random moments while events and due follow-ups flow. After the last
 * restart drains every timer, the database must show: no acknowledged message lost, every
 * follow-up the machine armed exists, none lost (no pending left), none sent twice (one
 * outbox row and one message per sent follow-up), and the stored snapshots equal a replay
 * of the transition log through the pure machine.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { initialTransition, transition } from 'xstate';
import { contactMachine, type ContactEvent } from '../../machines/contact.ts';
import { TRANSITION_SELECT } from '../../src/store/store.ts';

const CHILD = join(import.meta.dirname, '..', 'fixtures', 'crashChild.ts');
const SEEDS = Number(process.env.NUDGE_CRASH_SEEDS ?? 4);
const KILLS_PER_SEED = 4;

function runChild(
  dir: string,
  seed: number,
  mode: 'run' | 'drain',
  killAfterMs: number | null,
  acks: Map<string, string>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(seed), mode, '20'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NUDGE_MIN_DELAY_SECONDS: '1' },
    });
    let buffer = '';
    let stderr = '';
    let timer: NodeJS.Timeout | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const [kind, contactId, clientId] = line.split(' ');
        if (kind === 'ack') acks.set(clientId, contactId);
        if (kind === 'ready' && killAfterMs !== null) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL' || code === 0) resolve();
      else reject(new Error(`child exited ${code} ${signal}: ${stderr}`));
    });
  });
}

function verify(dir: string, acks: Map<string, string>): void {
  const db = new Database(join(dir, 'nudge.sqlite'), { readonly: true });
  try {
    // 1. No acknowledged message lost (and none stored twice).
    const byClient = db.prepare('SELECT COUNT(*) AS n FROM messages WHERE client_id = ? AND contact_id = ?');
    for (const [clientId, contactId] of acks) {
      assert.equal(
        (byClient.get(clientId, contactId) as { n: number }).n,
        1,
        `acked message ${clientId} lost or duplicated`,
      );
    }
    // 2. None lost: after the drain no timer is still pending.
    const pending = db.prepare(`SELECT * FROM followups WHERE status = 'pending'`).all();
    assert.deepEqual(pending, [], 'pending follow-ups left after drain');
    // 3. None sent twice: each sent follow-up has one outbox row and one message.
    const sent = db.prepare(`SELECT id FROM followups WHERE status = 'sent' AND kind = 'followup'`).all() as {
      id: string;
    }[];
    assert.ok(sent.length > 0, 'the run should have sent follow-ups');
    const outboxN = db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE idempotency_key = ?');
    const msgN = db.prepare('SELECT COUNT(*) AS n FROM messages WHERE followup_id = ?');
    for (const { id } of sent) {
      assert.equal((outboxN.get(id) as { n: number }).n, 1, `follow-up ${id}: outbox rows`);
      assert.equal((msgN.get(id) as { n: number }).n, 1, `follow-up ${id}: messages`);
    }
    const orphanOutbox = db
      .prepare(
        `SELECT o.idempotency_key FROM outbox o LEFT JOIN followups f ON f.id = o.idempotency_key WHERE f.id IS NULL OR f.status != 'sent'`,
      )
      .all();
    assert.deepEqual(orphanOutbox, [], 'outbox rows without a sent follow-up');
    // 4. The log replays to the stored snapshot, and every follow-up it armed exists.
    const contacts = db.prepare('SELECT id FROM contacts').all() as { id: string }[];
    const logOf = db.prepare(`${TRANSITION_SELECT} WHERE t.contact_id = ? ORDER BY t.seq`);
    const snapOf = db.prepare('SELECT snapshot FROM contacts WHERE id = ?');
    const fuOf = db.prepare('SELECT id, status FROM followups WHERE id = ?');
    for (const { id } of contacts) {
      let [snapshot] = initialTransition(contactMachine, { contactId: id });
      const rows = logOf.all(id) as { seq: number; event: string; to_state: string; actions: string }[];
      rows.forEach((row, i) => {
        assert.equal(row.seq, i + 1, `contact ${id}: log has a gap`);
        const [next, actions] = transition(contactMachine, snapshot, JSON.parse(row.event) as ContactEvent);
        snapshot = next;
        assert.equal(next.value, row.to_state, `contact ${id} seq ${row.seq}: replay disagrees`);
        const logged = JSON.parse(row.actions) as { type: string; params: { id?: string; followUpId?: string } }[];
        assert.deepEqual(
          actions.map((a) => a.type),
          logged.map((a) => a.type),
          `contact ${id} seq ${row.seq}: effects differ`,
        );
        for (const effect of logged) {
          if (effect.type === 'armTimer')
            assert.ok(fuOf.get(effect.params.id), `armed follow-up ${effect.params.id} missing`);
          if (effect.type === 'sendFollowUp') {
            const fu = fuOf.get(effect.params.followUpId) as { status: string } | undefined;
            assert.ok(
              fu && (fu.status === 'sent' || fu.status === 'cancelled'),
              `sent follow-up ${effect.params.followUpId}: ${fu?.status}`,
            );
          }
        }
      });
      const stored = JSON.parse((snapOf.get(id) as { snapshot: string }).snapshot);
      assert.equal(stored.value, snapshot.value, `contact ${id}: stored state`);
      assert.deepEqual(stored.context, snapshot.context, `contact ${id}: stored context differs from replay`);
    }
  } finally {
    db.close();
  }
}

test(
  `SIGKILL at random moments loses nothing and sends nothing twice (${SEEDS} seeds × ${KILLS_PER_SEED} kills)`,
  { timeout: 240_000 },
  async (t) => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const dir = mkdtempSync(join(tmpdir(), 'nudge-crash-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const acks = new Map<string, string>();
      let r = seed * 7919;
      for (let round = 0; round < KILLS_PER_SEED; round++) {
        r = (r * 48271) % 2147483647;
        await runChild(dir, seed * 100 + round, 'run', 200 + (r % 1300), acks);
      }
      await runChild(dir, seed, 'drain', null, acks);
      assert.ok(acks.size > 0, 'the children acknowledged messages');
      verify(dir, acks);
    }
  },
);
