/** The contact list: search by name/phone/email, state and due-soon filters, pagination. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { client, contactSaying, startConsoleServer } from './helpers.ts';

describe('contact search', () => {
  test('search, filters, sorting and pagination', async (t) => {
    const server = await startConsoleServer(t);
    const http = client(server.url);
    const bot = server.botId;
    const ana = await contactSaying(
      server,
      { name: 'Ana Lima', phone: '+14155550123', email: 'ana@salon.example' },
      'busy in a meeting',
    ); // busy: due in 2h
    const ben = await contactSaying(server, { name: 'Ben Ode', email: 'ben@example.org' }, 'call me at+300'); // scheduled: due in 5h
    const cid = await contactSaying(server, { name: 'Cid 100% Real_Name' }, 'stop'); // stopped: nothing due
    const dee = await contactSaying(server, { name: 'Dee', phone: '+442079460000' }, 'hello'); // active: only the bot-silence timer
    // Another bot's contact with a matching name never shows up.
    const other = (await http.post('/api/bots', { name: 'Other' })).body.id;
    await http.post(`/api/bots/${other}/contacts`, { name: 'Ana Other', phone: '+14155550123' });

    const search = async (query: string) => {
      const res = await http.get(`/api/bots/${bot}/contacts/search${query}`);
      assert.equal(res.status, 200, `${query}: ${res.text}`);
      return res.body;
    };
    const ids = (body: any) => body.contacts.map((c: any) => c.id);

    assert.deepEqual(ids(await search('?q=ana')), [ana], 'by name, case-insensitive');
    assert.deepEqual(ids(await search('?q=SALON.example')), [ana], 'by email');
    assert.deepEqual(ids(await search('?q=%2B1415')), [ana], 'by phone as stored');
    assert.deepEqual(
      ids(await search(`?q=${encodeURIComponent('(415) 555-0123')}`)),
      [ana],
      'by a formatted phone number',
    );
    assert.deepEqual(ids(await search('?q=100%25')), [cid], '% is literal, not a wildcard');
    assert.deepEqual(ids(await search('?q=a_l')), [], '_ is literal, not a wildcard');
    assert.deepEqual(ids(await search('?q=nobody')), []);

    assert.deepEqual(ids(await search('?state=busy')), [ana]);
    assert.deepEqual(ids(await search('?state=busy,scheduled&sort=name')), [ana, ben]);
    assert.deepEqual(ids(await search('?state=stopped')), [cid]);

    // "has a follow-up due in the next N hours" (the bot-silence timer is not a follow-up).
    assert.deepEqual(ids(await search('?dueWithinHours=3')), [ana]);
    assert.deepEqual(ids(await search('?dueWithinHours=6&sort=due')), [ana, ben]);
    assert.deepEqual(ids(await search('?dueWithinHours=0.5')), []);
    const due = await search('?dueWithinHours=6&sort=due');
    assert.equal(due.contacts[0].nextFollowUp.scenario, 'busy');
    assert.equal(due.contacts[0].nextFollowUp.dueAt, '2026-01-05T11:00:00.000Z');
    assert.equal(due.contacts[1].nextFollowUp.scenario, 'requestedTime');

    // Sorting by due puts contacts without a follow-up last.
    assert.deepEqual(ids(await search('?sort=due')).slice(0, 2), [ana, ben]);

    // Pagination with a stable order and a total.
    const page1 = await search('?sort=name&limit=3');
    const page2 = await search('?sort=name&limit=3&offset=3');
    assert.equal(page1.total, 4);
    assert.equal(page2.total, 4);
    assert.deepEqual([...ids(page1), ...ids(page2)], [ana, ben, cid, dee]);
    assert.equal(page2.contacts.length, 1);
    assert.deepEqual({ limit: page2.limit, offset: page2.offset }, { limit: 3, offset: 3 });
    const beyond = await search('?offset=50');
    assert.deepEqual({ n: beyond.contacts.length, total: beyond.total }, { n: 0, total: 4 });
    const combined = await search('?q=e&state=scheduled,active&sort=name');
    assert.deepEqual(ids(combined), [ben, dee]);
    assert.equal(combined.total, 2);
  });

  test('bad queries are refused with the field named', async (t) => {
    const server = await startConsoleServer(t);
    const http = client(server.url);
    const cases: [string, string][] = [
      ['?state=sleeping', 'state'],
      ['?state=busy,nope', 'state'],
      ['?dueWithinHours=-1', 'dueWithinHours'],
      ['?dueWithinHours=soon', 'dueWithinHours'],
      ['?limit=0', 'limit'],
      ['?limit=201', 'limit'],
      ['?offset=-3', 'offset'],
      ['?limit=2.5', 'limit'],
      ['?sort=random', 'sort'],
      [`?q=${'x'.repeat(201)}`, 'q'],
      ['?colour=red', '(body)'],
    ];
    for (const [query, field] of cases) {
      const res = await http.get(`/api/bots/${server.botId}/contacts/search${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.error.code, 'invalid_request');
      assert.ok(
        res.body.error.details.some((d: any) => d.path === field),
        `${query}: ${JSON.stringify(res.body.error)}`,
      );
    }
  });
  test('a contact who left no name is recognisable: its number, its place and its last message', async (t) => {
    const server = await startConsoleServer(t);
    const http = client(server.url);
    const first = await contactSaying(server, {}, 'hello');
    const lisbon = await contactSaying(server, { timezone: 'Europe/Lisbon' }, 'do you fix e-bikes?');
    const listed = (await http.get(`/api/bots/${server.botId}/contacts/search?sort=name`)).body.contacts as any[];
    const row = listed.find((c) => c.id === lisbon);
    assert.equal(row.place, 'Lisbon');
    assert.ok(Number.isInteger(row.visitorNumber));
    assert.ok(row.visitorNumber > listed.find((c) => c.id === first).visitorNumber, 'numbered in order of arrival');
    assert.deepEqual(
      { from: row.lastMessage.from, text: row.lastMessage.text },
      { from: 'contact', text: 'do you fix e-bikes?' },
    );
    assert.equal(listed.find((c) => c.id === first).place, null);
    const info = (await http.get(`/api/contacts/${lisbon}/info`)).body;
    assert.equal(info.contact.visitorNumber, row.visitorNumber, 'the panel names it the same way');
  });
});
