/**
 * The store's query modules prepare their statements once per connection: a second request
 * down the same path prepares nothing. Routes and the console reader thread used to prepare
 * each statement per request (20–40 µs each on this VM, more than the read itself).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { botMetrics, prometheusText } from '../../src/console/metrics.ts';
import { listNotifications, markRead } from '../../src/console/notifications.ts';
import { OperatorStore } from '../../src/console/operators.ts';
import { searchContacts, searchQuerySchema } from '../../src/console/search.ts';
import { ensureBotSecret, webhookSecretFor } from '../../src/console/secrets.ts';
import { botFollowUpRecords } from '../../src/store/botFollowUps.ts';
import { calendarEventRecords } from '../../src/store/calendarEvents.ts';
import { contactChannelRecords } from '../../src/store/contactChannels.ts';
import { contactQueries } from '../../src/store/contactQueries.ts';
import { openDatabase, type DB } from '../../src/store/db.ts';
import { deliveryReportRecords } from '../../src/store/deliveryReports.ts';
import { perConnection } from '../../src/store/perConnection.ts';
import { Store } from '../../src/store/store.ts';
import { HistoryReader } from '../../src/viz/reader.ts';

/** Counts the statements `db` prepares from now on. */
function countPrepares(db: DB): { readonly count: number } {
  const prepare = db.prepare.bind(db);
  const counter = { count: 0 };
  db.prepare = ((sql: string) => {
    counter.count++;
    return prepare(sql);
  }) as DB['prepare'];
  return counter;
}

function fixture() {
  const db = openDatabase(':memory:');
  const store = new Store(db);
  store.insertBot({
    id: 'bot',
    name: 'Bot',
    widget_key: 'wk',
    allowed_origins: '[]',
    config: '{}',
    created_at: 0,
    updated_at: 0,
  });
  return { db, store };
}

/** Every read and write path of the query modules, as routes, services and the reader thread call them. */
function everyPath(db: DB, store: Store, round: number): void {
  const operators = new OperatorStore(db);
  const { operator } = operators.create({ name: `op${round}`, admin: false, botIds: ['bot'] }, round);
  operators.grant(operator.id, 'bot', round);
  operators.principalFor('nop_unknown');
  operators.list();
  operators.revoke(operator.id, 'bot', round);
  operators.delete(operator.id);
  ensureBotSecret(db, 'bot', 'calendar', round);
  webhookSecretFor(db, () => round)('bot');
  markRead(db, 'op', round);
  listNotifications(db, 'op', { botIds: ['bot'], limit: 20 });
  listNotifications(db, 'op', { botIds: null, botId: 'bot', contactId: 'c', before: 10, limit: 20 });
  botMetrics(db, 'bot', 0, round);
  prometheusText(db, [{ id: 'bot', name: 'Bot', active: true }]);
  for (const query of [{}, { q: '(415) 555', state: 'active', sort: 'due' }, { q: 'ann', needsReview: 'true' }])
    searchContacts(store, 'bot', searchQuerySchema.parse(query), round);
  contactQueries(db).contactsOfBot('bot', 'active', 0, 10);
  contactQueries(db).contactByEmail('bot', 'a@example.com');
  contactQueries(db).latestTransitions('c', 10);
  calendarEventRecords(db).contactOfEvent('bot', 'e');
  calendarEventRecords(db).ofContact('c');
  contactChannelRecords(db).contactOf('bot', 'sms', '+1');
  contactChannelRecords(db).externalIdOf('c', 'sms');
  deliveryReportRecords(db).record('bot', 'p', { status: 'sent', errorCode: null, at: round }, round);
  botFollowUpRecords(db).pendingDueBy('bot', round, 10);
  botFollowUpRecords(db).cancelPendingOfScenario('bot', 'busy', round);
  new HistoryReader(db).history('c');
}

test('a request down any query module prepares no statement once its connection has served one', () => {
  const { db, store } = fixture();
  const prepares = countPrepares(db);
  everyPath(db, store, 1);
  const first = prepares.count;
  assert.ok(first > 0, 'the first round prepares the statements');
  everyPath(db, store, 2);
  assert.equal(prepares.count, first, 'the second round prepared again');
  db.close();
});

test('each connection gets its own module, and the same one every time', () => {
  const built: DB[] = [];
  const moduleOf = perConnection((db) => {
    built.push(db);
    return { db };
  });
  const a = fixture().db;
  const b = fixture().db;
  assert.equal(moduleOf(a), moduleOf(a));
  assert.notEqual(moduleOf(a), moduleOf(b));
  assert.deepEqual(built, [a, b]);
  a.close();
  b.close();
});
