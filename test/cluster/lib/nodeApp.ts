/**
 * A cluster node process for the failover and split-brain tests: ClusterNode +
 * PartitionWork on PgStore, behind a small WebSocket endpoint. It exercises everything of
 * the cluster (membership, leases, fencing, the inbox, LISTEN/NOTIFY fan-out, partition
 * timers, the outbox's unique key) with a contact logic reduced to one rule, because the
 * contact runtime does not run on PostgreSQL yet: a contact message cancels the contact's
 * pending follow-up and arms one due `NODE_FOLLOWUP_MS` later; a due follow-up writes a bot
 * message and an outbox row keyed `contact:stoppedReplying:1:epoch`.
 *
 * Protocol (JSON frames): connect to `/?contact=ID&after=SEQ`; the node sends `hello`, then
 * every message of the contact after SEQ and every later one (`message` with `seq`). The
 * client sends `{type:'message', clientId, text}` and gets `{type:'ack', clientId}` once the
 * event is committed to its partition's inbox. `GET /health` answers the node's health.
 * Every row a node writes carries `{node, token}` in its `meta`, so tests can tell who
 * wrote it under which lease.
 *
 * `NODE_STALE_TOKENS=1` makes the node go on believing in every lease it ever held (as a
 * node whose clock jumped or whose bookkeeping is wrong would): only the fence stops it.
 *
 * Prints `READY <port>` on stdout once listening.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClusterNode, clusterSettings } from '../../../src/cluster/clusterNode.ts';
import { appendToInbox, type InboxEvent } from '../../../src/cluster/inbox.ts';
import { assertOwner } from '../../../src/cluster/leases.ts';
import { CHANNELS, publish } from '../../../src/cluster/notify.ts';
import type { PartitionManager } from '../../../src/cluster/partitionManager.ts';
import type { HeldLeases } from '../../../src/cluster/partitionWork.ts';
import { PgStore } from '../../../src/store/postgres/pgStore.ts';
import { transaction } from '../../../src/store/postgres/pool.ts';
import type { DueRef } from '../../../src/store/port.ts';

const settings = clusterSettings();
if (!settings) throw new Error('NUDGE_DATABASE_URL is required');
const nodeId = settings.cluster.nodeId;
const followUpMs = Number(process.env.NODE_FOLLOWUP_MS ?? 1500);
const log = (line: string) => process.stderr.write(`${line}\n`);

/** The node's pool and store on it (set when the node builds its work, before it owns anything). */
let db: pg.Pool;
let store: PgStore;

/** NODE_STALE_TOKENS: the manager's leases, plus every token it ever held, as if still valid. */
function staleLeases(partitions: PartitionManager): HeldLeases {
  const everHeld = new Map<number, number>();
  return {
    tokenFor: (partition) => {
      const token = partitions.tokenFor(partition);
      if (token !== undefined) everHeld.set(partition, token);
      return token ?? everHeld.get(partition);
    },
    owned: () => partitions.owned(),
  };
}

const meta = (token: number) => JSON.stringify({ node: nodeId, token });

async function applyEvents(
  client: Parameters<PgStore['on']>[0],
  events: InboxEvent[],
  lease: { token: number },
): Promise<DueRef[]> {
  const tx = store.on(client);
  const armed = new Map<string, DueRef>();
  for (const event of events) {
    const { clientId, text } = event.payload as { clientId: string; text: string };
    // A client that lost its ack sends again, perhaps to another node: applied once.
    if (await tx.getMessageByClientId(event.contact_id, clientId)) continue;
    const contact = await tx.getContact(event.contact_id);
    if (!contact) continue;
    const now = Date.now();
    const message = await tx.insertMessage({
      id: `m_${randomUUID()}`,
      contact_id: contact.id,
      sender: 'contact',
      channel: 'livechat',
      text,
      at: now,
      client_id: clientId,
      classification: null,
      followup_id: null,
      meta: meta(lease.token),
    });
    await tx.cancelPendingFollowUps(contact.id, 'replied', null, now);
    const due = now + followUpMs;
    const id = `f_${contact.id}_${message.seq}`;
    await tx.insertFollowUp({
      id,
      contact_id: contact.id,
      bot_id: contact.bot_id,
      kind: 'followup',
      scenario: 'stoppedReplying',
      step: 1,
      epoch: message.seq,
      raw_due_at: due,
      due_at: due,
      defer_reason: null,
      channel: 'livechat',
      channel_reason: null,
      message_mode: 'custom',
      trigger_message_id: message.id,
      created_at: now,
      updated_at: now,
    });
    armed.set(contact.id, { id, contact_id: contact.id, due_at: due });
  }
  for (const contactId of armed.keys()) await publish(client, CHANNELS.contact, contactId);
  return [...armed.values()];
}

async function fireDue(ref: DueRef, lease: { partition: number; token: number }): Promise<void> {
  await transaction(db, async (client) => {
    await assertOwner(client, lease.partition, lease.token);
    // The contact first, as an event's apply locks it: the two never wait on each other in a cycle.
    await client.query('SELECT 1 FROM contacts WHERE id = $1 FOR UPDATE', [ref.contact_id]);
    const tx = store.on(client);
    const row = await tx.getFollowUp(ref.id);
    const now = Date.now();
    if (!row || row.status !== 'pending' || row.due_at > now) return;
    if (!(await tx.finishFollowUp(row.id, 'sent', null, now, { channel: 'livechat', reason: 'cluster test' }))) return;
    const body = `follow-up ${row.id}`;
    const queued = await tx.insertOutbox({
      idempotency_key: `${row.contact_id}:${row.scenario}:${row.step}:${row.epoch}`,
      bot_id: row.bot_id,
      contact_id: row.contact_id,
      channel: 'livechat',
      recipient: null,
      body,
      meta: meta(lease.token),
      next_attempt_at: now,
      created_at: now,
      updated_at: now,
    });
    if (!queued) throw new Error(`outbox key of ${row.id} exists: a second send was attempted`);
    await tx.insertMessage({
      id: `m_${randomUUID()}`,
      contact_id: row.contact_id,
      sender: 'bot',
      channel: 'livechat',
      text: body,
      at: now,
      client_id: null,
      classification: null,
      followup_id: row.id,
      meta: meta(lease.token),
    });
    await publish(client, CHANNELS.contact, row.contact_id);
  });
}

/** A widget socket: what it was sent up to, and one push at a time. */
interface Connection {
  socket: WebSocket;
  contactId: string;
  sentSeq: number;
  pushing: Promise<void> | null;
  again: boolean;
}
const byContact = new Map<string, Set<Connection>>();

function push(connection: Connection): void {
  if (connection.pushing) {
    connection.again = true;
    return;
  }
  connection.pushing = (async () => {
    do {
      connection.again = false;
      const rows = await store.messagesAfter(connection.contactId, connection.sentSeq);
      for (const row of rows) {
        if (row.seq <= connection.sentSeq) continue;
        connection.sentSeq = row.seq;
        connection.socket.send(
          JSON.stringify({
            type: 'message',
            seq: row.seq,
            sender: row.sender,
            clientId: row.client_id,
            text: row.text,
          }),
        );
      }
    } while (connection.again);
  })()
    .catch((error: Error) => {
      log(`[${nodeId}] push to ${connection.contactId}: ${error.message}`);
    })
    .finally(() => {
      connection.pushing = null;
    });
}

const node = await ClusterNode.start({
  ...settings,
  work: (pool, partitions) => {
    db = pool;
    store = new PgStore(pool, { partitions: settings.cluster.partitions });
    return {
      leases: process.env.NODE_STALE_TOKENS === '1' ? staleLeases(partitions) : partitions,
      partitionOf: (contactId) => store.partitionOf(contactId),
      applyEvents,
      dueWindow: (partitions, limit) => store.pendingWindow(limit, partitions),
      fireDue,
      onContact: (contactId) => {
        for (const connection of byContact.get(contactId) ?? []) push(connection);
      },
      sweepMs: Number(process.env.NODE_SWEEP_MS ?? 2000),
    };
  },
  onOwnershipChange: (change) => {
    if (change.lost.length) log(`[${nodeId}] lost ${change.lost.join(',')}`);
  },
  log,
});

const http = createServer((request, response) => {
  if (request.url === '/health') {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(node.health()));
    return;
  }
  response.statusCode = 404;
  response.end('{"error":"not_found"}');
});
const wss = new WebSocketServer({ server: http });
wss.on('connection', (socket, request) => {
  const url = new URL(request.url ?? '/', 'http://node');
  const contactId = url.searchParams.get('contact');
  if (!contactId) {
    socket.close(4400, 'contact missing');
    return;
  }
  const connection: Connection = {
    socket,
    contactId,
    sentSeq: Number(url.searchParams.get('after') ?? 0),
    pushing: null,
    again: false,
  };
  let set = byContact.get(contactId);
  if (!set) byContact.set(contactId, (set = new Set()));
  set.add(connection);
  socket.on('close', () => set.delete(connection));
  socket.send(JSON.stringify({ type: 'hello', node: nodeId }));
  push(connection);
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { type: string; clientId: string; text: string };
    if (frame.type !== 'message') return;
    appendToInbox(db, {
      partition: store.partitionOf(contactId),
      contactId,
      kind: 'message',
      payload: { clientId: frame.clientId, text: frame.text },
      receivedBy: nodeId,
      receivedAt: Date.now(),
    }).then(
      () => socket.send(JSON.stringify({ type: 'ack', clientId: frame.clientId })),
      (error: Error) =>
        socket.send(
          JSON.stringify({ type: 'error', code: 'unavailable', clientId: frame.clientId, message: error.message }),
        ),
    );
  });
});
http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  process.stdout.write(`READY ${typeof address === 'object' && address ? address.port : 0}\n`);
});

process.on('SIGTERM', () => {
  void (async () => {
    for (const client of wss.clients) client.close(1012, 'restarting');
    http.close();
    await node.stop();
    process.exit(0);
  })();
});
