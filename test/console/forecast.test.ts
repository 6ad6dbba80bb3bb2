/**
 * The forecast: pending follow-ups in the window and the steps that would follow, with real
 * send times (SMS quiet hours in the contact's zone, working hours in the business zone),
 * channel switching with its reason, and skips.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { client, startConsoleServer } from './helpers.ts';

const config = {
  timezone: 'Europe/Berlin',
  // 07:00–17:00 UTC in January
  workingHours: Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '08:00', end: '18:00' }]]),
  ),
};

describe('forecast', () => {
  test('what will be sent in the next 72 hours, to whom, when and on which channel', async (t) => {
    const server = await startConsoleServer(t, { config });
    const http = client(server.url);
    const bot = server.botId;
    const make = async (fields: Record<string, unknown>, text: string, channel?: string) => {
      const created = await http.post(`/api/bots/${bot}/contacts`, fields);
      assert.equal(created.status, 201, created.text);
      const res = await http.post(`/api/contacts/${created.body.id}/messages/inbound`, {
        text,
        ...(channel ? { channel } : {}),
      });
      assert.equal(res.status, 201, res.text);
      return created.body.id as string;
    };
    // Monday 09:00 UTC (10:00 in Berlin): three contacts say they are busy → busy step 1 at 11:00 UTC.
    const ana = await make({ name: 'Ana', phone: '+14155550123' }, 'busy, call later'); // live chat, US phone (Los Angeles)
    const noor = await make({ name: 'Noor' }, 'busy now'); // live chat, no phone
    const wes = await make({ name: 'Wes', phone: '+447812345678', channel: 'whatsapp' }, 'busy today', 'whatsapp');

    const res = await http.get(`/api/bots/${bot}/forecast?hours=72`);
    assert.equal(res.status, 200, res.text);
    const f = res.body;
    assert.equal(f.from, '2026-01-05T09:00:00.000Z');
    assert.equal(f.to, '2026-01-08T09:00:00.000Z');
    const item = (contactId: string, step: number) => {
      const found = f.items.find((i: any) => i.contact.id === contactId && i.step === step);
      assert.ok(
        found,
        `${contactId} step ${step} in ${JSON.stringify(f.items.map((i: any) => [i.contact.name, i.step]))}`,
      );
      return found;
    };

    // Ana: the widget is probably closed by then → SMS; 11:00 UTC is 03:00 in Los Angeles,
    // so quiet hours hold it until 08:00 there (16:00 UTC, 17:00 in Berlin: still open).
    const a1 = item(ana, 1);
    assert.equal(a1.kind, 'scheduled');
    assert.equal(a1.scenario, 'busy');
    assert.equal(a1.dueAt, '2026-01-05T11:00:00.000Z');
    assert.equal(a1.dueInBusinessZone.local, 'Mon 5 Jan 2026 12:00 GMT+1');
    assert.deepEqual(
      { zone: a1.dueInContactZone.zone, source: a1.dueInContactZone.source },
      { zone: 'America/Los_Angeles', source: 'phone' },
    );
    assert.match(a1.dueInContactZone.local, /03:00/);
    assert.equal(a1.channel, 'sms');
    assert.equal(a1.switched, true);
    assert.equal(a1.presence, 'unknown');
    assert.match(a1.channelReason, /widget is closed at send time: widget closed; switched to SMS \(\+1…0123\)/);
    assert.deepEqual(a1.alternative, {
      channel: 'livechat',
      reason: 'if the widget is open at send time: widget open; staying on live chat',
    });
    assert.equal(a1.sendAt, '2026-01-05T16:00:00.000Z');
    assert.deepEqual(a1.deferredBy, ['quiet_hours']);
    assert.match(a1.sendInContactZone.local, /08:00/);
    assert.equal(a1.outcome, 'send');
    assert.equal(a1.trigger.text, 'busy, call later');
    assert.equal(a1.trigger.classification.intent, 'busy');
    // ...and if Ana stays silent, step 2 one day after that send.
    const a2 = item(ana, 2);
    assert.equal(a2.kind, 'projected');
    assert.equal(a2.followUpId, null);
    assert.equal(a2.dueAt, '2026-01-06T16:00:00.000Z');
    assert.equal(a2.sendAt, '2026-01-06T16:00:00.000Z');

    // Noor: no phone, so live chat either way.
    const n1 = item(noor, 1);
    assert.equal(n1.channel, 'livechat');
    assert.equal(n1.presence, 'irrelevant');
    assert.match(n1.channelReason, /no phone number is known/);
    assert.equal(n1.sendAt, '2026-01-05T11:00:00.000Z');

    // Wes: WhatsApp inside the 24 h window now; step 2 falls 26 h after his message → SMS.
    const w1 = item(wes, 1);
    assert.equal(w1.channel, 'whatsapp');
    assert.match(w1.channelReason, /inside the 24-hour window/);
    const w2 = item(wes, 2);
    assert.equal(w2.channel, 'sms');
    assert.match(w2.channelReason, /24-hour window closed\); switched to SMS/);
    assert.equal(w2.dueInContactZone.zone, 'Europe/London');

    assert.deepEqual(f.summary, {
      scheduled: 3,
      projected: 3,
      sends: 6,
      skips: 0,
      contacts: 3,
      byChannel: { sms: 3, livechat: 2, whatsapp: 1 },
      byScenario: { busy: 6 },
      skipReasons: {},
    });
    // Ordered by when they would really go out.
    const sendTimes = f.items.map((i: any) => Date.parse(i.sendAt));
    assert.deepEqual(
      sendTimes,
      [...sendTimes].sort((x, y) => x - y),
    );

    // A narrower window holds only what is due in it (Ana's step 1 still counts: it is due at 11:00).
    const narrow = (await http.get(`/api/bots/${bot}/forecast?hours=3`)).body;
    assert.deepEqual(narrow.items.map((i: any) => [i.contact.name, i.step]).sort(), [
      ['Ana', 1],
      ['Noor', 1],
      ['Wes', 1],
    ]);
    const tiny = (await http.get(`/api/bots/${bot}/forecast?hours=1`)).body;
    assert.equal(tiny.items.length, 0);
    const limited = (await http.get(`/api/bots/${bot}/forecast?limit=1`)).body;
    assert.equal(limited.truncated, true);
    assert.equal(limited.items.filter((i: any) => i.kind === 'scheduled').length, 1);

    // An inactive bot sends nothing: every due follow-up would be skipped, and nothing follows.
    assert.equal((await http.patch(`/api/bots/${bot}/config`, { active: false })).status, 200);
    const inactive = (await http.get(`/api/bots/${bot}/forecast`)).body;
    assert.equal(inactive.botActive, false);
    assert.equal(inactive.items.length, 3);
    assert.ok(inactive.items.every((i: any) => i.outcome === 'skip' && i.skipReason === 'bot_inactive'));
    assert.deepEqual(inactive.summary.skipReasons, { bot_inactive: 3 });
  });

  test('the cap and custom messages are forecast; bad parameters are refused', async (t) => {
    const server = await startConsoleServer(t, {
      config: {
        followUpCapPer24h: 2,
        scenarios: {
          busy: {
            cadence: [{ delay: '1h' }, { delay: '2h' }, { delay: '3h' }],
            message: { mode: 'custom', text: 'Hi {{first_name}}, {{business_name}} here. Still busy?' },
          },
        },
      },
    });
    const http = client(server.url);
    const created = await http.post(`/api/bots/${server.botId}/contacts`, { name: 'Ola Nordmann' });
    await http.post(`/api/contacts/${created.body.id}/messages/inbound`, { text: 'busy' });
    const f = (await http.get(`/api/bots/${server.botId}/forecast`)).body;
    assert.deepEqual(
      f.items.map((i: any) => [i.step, i.outcome, i.skipReason]),
      [
        [1, 'send', null],
        [2, 'send', null],
        [3, 'skip', 'cap_reached'],
      ],
    );
    assert.equal(f.items[0].messageMode, 'custom');
    assert.equal(f.items[0].messagePreview, 'Hi Ola, Test Salon here. Still busy?');

    for (const query of ['?hours=0', '?hours=337', '?hours=abc', '?limit=0', '?hours=2.5', '?days=3']) {
      const res = await http.get(`/api/bots/${server.botId}/forecast${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.error.code, 'invalid_request');
    }
  });

  test('when quiet hours and working hours never meet, the follow-up stays on its channel (as the send planner decides)', async (t) => {
    // Open 06:00–08:00 UTC only: 22:00–24:00 in Los Angeles, inside its SMS quiet hours.
    const hours = Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '06:00', end: '08:00' }]]),
    );
    const server = await startConsoleServer(t, { config: { workingHours: hours } });
    const http = client(server.url);
    const created = await http.post(`/api/bots/${server.botId}/contacts`, { name: 'Lou', phone: '+14155550123' });
    await http.post(`/api/contacts/${created.body.id}/messages/inbound`, { text: 'busy' });
    const [first] = (await http.get(`/api/bots/${server.botId}/forecast`)).body.items;
    assert.equal(first.dueAt, '2026-01-06T06:00:00.000Z', 'working hours applied when armed');
    assert.equal(first.channel, 'livechat');
    assert.match(first.channelReason, /no SMS slot outside quiet hours within working hours, stays on livechat/);
    assert.equal(first.sendAt, first.dueAt);
    assert.equal(first.outcome, 'send');
  });
});
