import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configWarnings, parseBotConfig, type BotConfig } from '../../src/config/botConfig.ts';
import { smsSegments } from '../../src/config/smsSegments.ts';
import { fillPlaceholders, placeholdersIn } from '../../src/config/placeholders.ts';

function config(input: Record<string, unknown>): BotConfig {
  const result = parseBotConfig({ name: 'Salon', ...input }, { minDelaySeconds: 60 });
  if (!result.ok) assert.fail(JSON.stringify(result.errors));
  return result.config;
}

const cadence = (...delays: string[]) => delays.map((delay) => ({ delay }));

test('the default configuration has no warnings', () => {
  assert.deepEqual(configWarnings(config({})), []);
});

const cases: { name: string; input: Record<string, unknown>; expect: { path: string; message: RegExp }[] }[] = [
  {
    name: 'steps closer than 1 h',
    input: { scenarios: { stoppedReplying: { cadence: cadence('5m', '15m', '1h') } } },
    expect: [
      {
        path: 'scenarios.stoppedReplying.cadence.1.delay',
        message: /step 2 comes only 15m after step 1; follow-ups less than 1h apart feel like spam/,
      },
    ],
  },
  {
    name: 'the first step may be short (it is counted from the trigger, not a previous follow-up)',
    input: { scenarios: { busy: { cadence: cadence('5m', '2h') } } },
    expect: [],
  },
  {
    name: 'more steps within 24 h than the cap',
    input: { followUpCapPer24h: 2, scenarios: { busy: { cadence: cadence('1h', '2h', '3h') } } },
    expect: [
      {
        path: 'scenarios.busy.cadence',
        message: /3 follow-ups of this cadence fall within 24h but followUpCapPer24h is 2/,
      },
    ],
  },
  {
    name: 'a window later in the cadence counts too',
    input: { followUpCapPer24h: 2, scenarios: { stoppedReplying: { cadence: cadence('1h', '2d', '2h', '2h') } } },
    expect: [{ path: 'scenarios.stoppedReplying.cadence', message: /^3 follow-ups/ }],
  },
  {
    name: 'steps exactly 24 h apart are in different windows',
    input: { followUpCapPer24h: 1, scenarios: { requestedTime: { cadence: cadence('0m', '1d', '1d') } } },
    expect: [],
  },
  {
    name: 'custom text over 2 SMS segments (placeholders filled with sample values)',
    input: { scenarios: { busy: { message: { mode: 'custom', text: `Hi {{first_name}}! ${'a'.repeat(300)}` } } } },
    expect: [{ path: 'scenarios.busy.message.text', message: /about 3 segments \(314 GSM-7 characters/ }],
  },
  {
    name: 'unicode text needs more segments sooner',
    input: {
      scenarios: {
        busy: { cadence: [{ delay: '2h', message: { mode: 'custom', text: `Hello 😊 ${'b'.repeat(130)}` } }] },
      },
    },
    expect: [{ path: 'scenarios.busy.cadence.0.message.text', message: /about 3 segments \(\d+ UCS-2 characters/ }],
  },
  {
    name: 'a 2-segment text is fine',
    input: { scenarios: { busy: { message: { mode: 'custom', text: 'c'.repeat(306) } } } },
    expect: [],
  },
  {
    name: '{{booking_url}} with no booking URL',
    input: { scenarios: { requestedTime: { message: { mode: 'custom', text: 'Book here: {{ booking_url }}' } } } },
    expect: [
      { path: 'scenarios.requestedTime.message.text', message: /uses \{\{booking_url\}\} but bookingUrl is not set/ },
    ],
  },
  {
    name: '{{booking_url}} with a booking URL',
    input: {
      bookingUrl: 'https://cal.example.com/s',
      scenarios: { requestedTime: { message: { mode: 'custom', text: 'Book: {{booking_url}}' } } },
    },
    expect: [],
  },
  {
    name: 'quiet hours narrower than 21:00–08:00',
    input: { smsQuietHours: { start: '22:00', end: '08:00' } },
    expect: [{ path: 'smsQuietHours', message: /22:00–08:00 are narrower than the default 21:00–08:00/ }],
  },
  {
    name: 'quiet hours wider than the default',
    input: { smsQuietHours: { start: '20:00', end: '09:00' } },
    expect: [],
  },
  {
    name: 'inactive bot',
    input: { active: false },
    expect: [{ path: 'active', message: /inactive: no follow-up is sent/ }],
  },
  {
    name: 'every scenario disabled',
    input: {
      scenarios: { stoppedReplying: { enabled: false }, busy: { enabled: false }, requestedTime: { enabled: false } },
    },
    expect: [{ path: 'scenarios', message: /every scenario is disabled/ }],
  },
];

for (const c of cases) {
  test(`warnings: ${c.name}`, () => {
    const warnings = configWarnings(config(c.input));
    assert.equal(warnings.length, c.expect.length, JSON.stringify(warnings));
    for (const e of c.expect) {
      assert.ok(
        warnings.some((w) => w.path === e.path && e.message.test(w.message)),
        `no warning at ${e.path} matching ${e.message}: ${JSON.stringify(warnings)}`,
      );
    }
  });
}

test('smsSegments counts GSM-7 septets (extension characters double) and UCS-2 units', () => {
  const cases: [string, { encoding: string; units: number; segments: number }][] = [
    ['', { encoding: 'GSM-7', units: 0, segments: 1 }],
    ['a'.repeat(160), { encoding: 'GSM-7', units: 160, segments: 1 }],
    ['a'.repeat(161), { encoding: 'GSM-7', units: 161, segments: 2 }],
    ['a'.repeat(306), { encoding: 'GSM-7', units: 306, segments: 2 }],
    ['a'.repeat(307), { encoding: 'GSM-7', units: 307, segments: 3 }],
    ['€'.repeat(80), { encoding: 'GSM-7', units: 160, segments: 1 }],
    ['€'.repeat(81), { encoding: 'GSM-7', units: 162, segments: 2 }],
    ['Grüße, Ñandù £5 @ 10:00', { encoding: 'GSM-7', units: 23, segments: 1 }],
    ['ç'.repeat(70), { encoding: 'UCS-2', units: 70, segments: 1 }],
    ['ç'.repeat(71), { encoding: 'UCS-2', units: 71, segments: 2 }],
    ['😊', { encoding: 'UCS-2', units: 2, segments: 1 }],
  ];
  for (const [text, expected] of cases) assert.deepEqual(smsSegments(text), expected, JSON.stringify(text));
});

test('placeholders are found and filled, tolerating inner spaces', () => {
  assert.deepEqual(placeholdersIn('Hi {{first_name}} and {{ booking_url }} {{x}}'), ['first_name', 'booking_url', 'x']);
  assert.equal(
    fillPlaceholders('Hi {{first_name}}, book at {{ booking_url }}{{unknown}}', {
      first_name: 'Ann',
      booking_url: 'https://b',
    }),
    'Hi Ann, book at https://b',
  );
});
