import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  applyConfigPatch,
  botConfigSchema,
  defaultBotConfig,
  minDelaySeconds,
  parseBotConfig,
  type BotConfig,
  type ConfigResult,
} from '../../src/config/botConfig.ts';
import { DEFAULT_UNCERTAIN_THRESHOLD as MODEL_UNCERTAIN_THRESHOLD } from '../../src/classify/local.ts';

function ok(result: ConfigResult): BotConfig {
  if (!result.ok) assert.fail(`expected a valid config, got ${JSON.stringify(result.errors)}`);
  return result.config;
}

function errorsOf(result: ConfigResult) {
  if (result.ok) assert.fail('expected the config to be rejected');
  return result.errors;
}

// ---------------------------------------------------------------------------------------
// defaults

test('defaultBotConfig has the documented defaults', () => {
  const step = (delay: string) => ({ delay });
  assert.deepEqual(defaultBotConfig('Salon'), {
    name: 'Salon',
    active: true,
    timezone: 'UTC',
    workingHours: null,
    channelSwitching: true,
    smsConsent: true,
    bookingUrl: null,
    builtInResponder: true,
    inboundWebhookUrl: null,
    followUpCapPer24h: 3,
    botReplyTimeout: '10m',
    missedGrace: '15m',
    smsQuietHours: { start: '21:00', end: '08:00' },
    widgetColor: null,
    uncertainThreshold: 0.5,
    onDoubt: 'hold',
    reviewWebhookUrl: null,
    retention: { messages: '365d', transitions: '90d', finishedFollowUps: '365d' },
    scenarios: {
      stoppedReplying: {
        enabled: true,
        cadence: [step('1h'), step('1d'), step('3d')],
        message: { mode: 'ai' },
        workflow: [],
      },
      busy: { enabled: true, cadence: [step('2h'), step('1d')], message: { mode: 'ai' }, workflow: [] },
      requestedTime: { enabled: true, cadence: [step('0m'), step('1d')], message: { mode: 'ai' }, workflow: [] },
    },
  });
});

test('defaults are valid under the standard floor and returned as fresh objects', () => {
  const a = defaultBotConfig('A');
  assert.equal(botConfigSchema.safeParse(a).success, true);
  a.scenarios.busy.cadence.push({ delay: '5d' });
  assert.equal(defaultBotConfig('A').scenarios.busy.cadence.length, 2);
});

test('parseBotConfig fills every omitted field with its default', () => {
  assert.deepEqual(ok(parseBotConfig({ name: 'Salon' }, { minDelaySeconds: 60 })), defaultBotConfig('Salon'));
});

test('nested partial scenarios keep the defaults they do not mention', () => {
  const config = ok(parseBotConfig({ name: 'S', scenarios: { busy: { enabled: false } } }, { minDelaySeconds: 60 }));
  assert.equal(config.scenarios.busy.enabled, false);
  assert.deepEqual(config.scenarios.busy.cadence, defaultBotConfig('S').scenarios.busy.cadence);
  assert.deepEqual(config.scenarios.stoppedReplying, defaultBotConfig('S').scenarios.stoppedReplying);
});

test('a full custom config round-trips unchanged', () => {
  const input: BotConfig = {
    name: 'Dental Co',
    active: false,
    timezone: 'Europe/Berlin',
    workingHours: {
      mon: [
        { start: '08:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
      sat: [{ start: '20:00', end: '24:00' }],
    },
    channelSwitching: false,
    smsConsent: false,
    bookingUrl: 'https://cal.example.com/dental',
    builtInResponder: false,
    inboundWebhookUrl: 'https://bot.example.com/nudge/inbound',
    followUpCapPer24h: 5,
    botReplyTimeout: { value: 2, unit: 'minutes' },
    missedGrace: '0s',
    smsQuietHours: { start: '20:00', end: '09:00' },
    widgetColor: '#0b6e4f',
    uncertainThreshold: 0.7,
    onDoubt: 'treatAsEngaged',
    reviewWebhookUrl: 'https://hooks.example.com/review',
    retention: { messages: null, transitions: { value: 30, unit: 'days' }, finishedFollowUps: '180d' },
    scenarios: {
      stoppedReplying: {
        enabled: true,
        cadence: [
          { delay: '5m', message: { mode: 'custom', text: 'Hi {{first_name}}, still there? {{ booking_url }}' } },
          { delay: { value: 1.5, unit: 'hours' }, workflow: [{ type: 'addTag', tag: 'cold' }] },
        ],
        message: { mode: 'ai' },
        workflow: [
          { type: 'notifyUser', userId: 'u1', webhookUrl: 'https://hooks.example.com/x', message: 'follow-up sent' },
          { type: 'assignUser', userId: 'u2' },
          { type: 'removeTag', tag: 'hot' },
        ],
      },
      busy: {
        enabled: false,
        cadence: [{ delay: '2h' }],
        message: { mode: 'custom', text: 'Is now better, {{full_name}}?' },
        workflow: [],
      },
      requestedTime: {
        enabled: true,
        cadence: [{ delay: '0m' }, { delay: '10m' }],
        message: { mode: 'ai' },
        workflow: [],
      },
    },
  };
  assert.deepEqual(ok(parseBotConfig(input, { minDelaySeconds: 60 })), input);
});

test('JSON Schema for the API description can be generated from botConfigSchema', () => {
  const schema = z.toJSONSchema(botConfigSchema, { io: 'output' }) as {
    properties: Record<string, unknown>;
    additionalProperties: boolean;
  };
  assert.equal(schema.additionalProperties, false);
  for (const key of ['name', 'timezone', 'workingHours', 'scenarios', 'smsQuietHours'])
    assert.ok(key in schema.properties, key);
});

// ---------------------------------------------------------------------------------------
// rejections: every one with its path and message

const scenarioWith = (name: string, scenario: Record<string, unknown>) => ({
  name: 'S',
  scenarios: { [name]: scenario },
});
const workflowAction = (action: unknown) => scenarioWith('busy', { workflow: [action] });

const rejections: { name: string; input: unknown; path: string; message: RegExp }[] = [
  { name: 'not an object', input: 'hello', path: '', message: /must be a JSON object/ },
  { name: 'array input', input: [], path: '', message: /must be a JSON object/ },
  { name: 'missing name', input: {}, path: 'name', message: /^is required$/ },
  { name: 'empty name', input: { name: '  ' }, path: 'name', message: /must not be empty/ },
  { name: 'name wrong type', input: { name: 5 }, path: 'name', message: /name must be a string/ },
  {
    name: 'unknown top-level field',
    input: { name: 'S', colour: 'red' },
    path: 'colour',
    message: /unknown field "colour"/,
  },
  {
    name: 'unknown scenario',
    input: { name: 'S', scenarios: { ghosted: {} } },
    path: 'scenarios.ghosted',
    message: /unknown field/,
  },
  {
    name: 'unknown scenario field',
    input: scenarioWith('busy', { priority: 1 }),
    path: 'scenarios.busy.priority',
    message: /unknown field "priority"/,
  },
  {
    name: 'unknown step field',
    input: scenarioWith('busy', { cadence: [{ delay: '2h', channel: 'sms' }] }),
    path: 'scenarios.busy.cadence.0.channel',
    message: /unknown field "channel"/,
  },
  {
    name: 'unknown message field',
    input: scenarioWith('busy', { message: { mode: 'ai', text: 'x' } }),
    path: 'scenarios.busy.message.text',
    message: /unknown field "text"/,
  },
  {
    name: 'unknown quiet-hours field',
    input: { name: 'S', smsQuietHours: { start: '21:00', end: '08:00', off: true } },
    path: 'smsQuietHours.off',
    message: /unknown field/,
  },
  {
    name: 'active not boolean',
    input: { name: 'S', active: 'yes' },
    path: 'active',
    message: /active must be true or false/,
  },
  {
    name: 'channelSwitching not boolean',
    input: { name: 'S', channelSwitching: 1 },
    path: 'channelSwitching',
    message: /true or false/,
  },
  {
    name: 'enabled not boolean',
    input: scenarioWith('busy', { enabled: 'on' }),
    path: 'scenarios.busy.enabled',
    message: /true or false/,
  },
  // delay floor
  {
    name: 'delay below the floor',
    input: scenarioWith('busy', { cadence: [{ delay: '30s' }] }),
    path: 'scenarios.busy.cadence.0.delay',
    message: /delay 30s is below the minimum of 1m/,
  },
  {
    name: 'later step below the floor',
    input: scenarioWith('stoppedReplying', { cadence: [{ delay: '1h' }, { delay: { value: 59, unit: 'seconds' } }] }),
    path: 'scenarios.stoppedReplying.cadence.1.delay',
    message: /delay 59s is below the minimum of 1m/,
  },
  {
    name: 'zero delay outside requestedTime step 1',
    input: scenarioWith('busy', { cadence: [{ delay: '0m' }] }),
    path: 'scenarios.busy.cadence.0.delay',
    message: /below the minimum/,
  },
  {
    name: 'requestedTime step 2 below the floor',
    input: scenarioWith('requestedTime', { cadence: [{ delay: '0m' }, { delay: '10s' }] }),
    path: 'scenarios.requestedTime.cadence.1.delay',
    message: /delay 10s is below the minimum of 1m/,
  },
  // durations
  {
    name: 'bad duration string',
    input: scenarioWith('busy', { cadence: [{ delay: '5 minutes' }] }),
    path: 'scenarios.busy.cadence.0.delay',
    message: /"5 minutes" is not a duration like "90s"/,
  },
  {
    name: 'duration without unit',
    input: scenarioWith('busy', { cadence: [{ delay: 300 }] }),
    path: 'scenarios.busy.cadence.0.delay',
    message: /expected a duration like/,
  },
  {
    name: 'duration unit unknown',
    input: scenarioWith('busy', { cadence: [{ delay: { value: 1, unit: 'weeks' } }] }),
    path: 'scenarios.busy.cadence.0.delay',
    message: /unit must be one of seconds, minutes, hours, days/,
  },
  {
    name: 'negative duration',
    input: scenarioWith('busy', { cadence: [{ delay: { value: -5, unit: 'minutes' } }] }),
    path: 'scenarios.busy.cadence.0.delay',
    message: /≥ 0/,
  },
  {
    name: 'duration over a year',
    input: scenarioWith('busy', { cadence: [{ delay: '400d' }] }),
    path: 'scenarios.busy.cadence.0.delay',
    message: /at most 365 days/,
  },
  {
    name: 'botReplyTimeout zero',
    input: { name: 'S', botReplyTimeout: '0s' },
    path: 'botReplyTimeout',
    message: /between 1s and 1d, got 0s/,
  },
  {
    name: 'botReplyTimeout too long',
    input: { name: 'S', botReplyTimeout: '2d' },
    path: 'botReplyTimeout',
    message: /between 1s and 1d/,
  },
  {
    name: 'missedGrace too long',
    input: { name: 'S', missedGrace: '8d' },
    path: 'missedGrace',
    message: /between 0s and 7d/,
  },
  // cadence length
  {
    name: 'empty cadence',
    input: scenarioWith('busy', { cadence: [] }),
    path: 'scenarios.busy.cadence',
    message: /at least 1 step/,
  },
  {
    name: 'six steps',
    input: scenarioWith('busy', { cadence: Array.from({ length: 6 }, () => ({ delay: '1d' })) }),
    path: 'scenarios.busy.cadence',
    message: /at most 5 steps/,
  },
  {
    name: 'cadence not a list',
    input: scenarioWith('busy', { cadence: '1h,2h' }),
    path: 'scenarios.busy.cadence',
    message: /cadence must be a list/,
  },
  // messages
  {
    name: 'unknown message mode',
    input: scenarioWith('busy', { message: { mode: 'gpt' } }),
    path: 'scenarios.busy.message.mode',
    message: /"ai" or "custom"/,
  },
  {
    name: 'message not an object',
    input: scenarioWith('busy', { message: 'ai' }),
    path: 'scenarios.busy.message',
    message: /expected a message like/,
  },
  {
    name: 'custom without text',
    input: scenarioWith('busy', { message: { mode: 'custom' } }),
    path: 'scenarios.busy.message.text',
    message: /is required/,
  },
  {
    name: 'custom blank text',
    input: scenarioWith('busy', { message: { mode: 'custom', text: '   ' } }),
    path: 'scenarios.busy.message.text',
    message: /must not be empty/,
  },
  {
    name: 'custom text too long',
    input: scenarioWith('busy', { message: { mode: 'custom', text: 'x'.repeat(1601) } }),
    path: 'scenarios.busy.message.text',
    message: /at most 1600 characters/,
  },
  {
    name: 'unknown placeholder',
    input: scenarioWith('busy', { cadence: [{ delay: '2h', message: { mode: 'custom', text: 'Hi {{frist_name}}' } }] }),
    path: 'scenarios.busy.cadence.0.message.text',
    message: /unknown placeholder \{\{frist_name\}\}; known: \{\{first_name\}\}/,
  },
  // workflows
  {
    name: 'startBot action',
    input: workflowAction({ type: 'startBot', botId: 'b2' }),
    path: 'scenarios.busy.workflow.0.type',
    message: /^a workflow may never start another bot$/,
  },
  {
    name: 'runBot action',
    input: workflowAction({ type: 'runBot' }),
    path: 'scenarios.busy.workflow.0.type',
    message: /never start another bot/,
  },
  {
    name: 'trigger_bot action',
    input: workflowAction({ type: 'trigger_bot', target: 'x' }),
    path: 'scenarios.busy.workflow.0.type',
    message: /never start another bot/,
  },
  {
    name: 'known action carrying a botId',
    input: workflowAction({ type: 'notifyUser', botId: 'b2' }),
    path: 'scenarios.busy.workflow.0.botId',
    message: /never start another bot/,
  },
  {
    name: 'targetBotId field',
    input: workflowAction({ type: 'assignUser', userId: 'u', target_bot_id: 'b2' }),
    path: 'scenarios.busy.workflow.0.target_bot_id',
    message: /never start another bot/,
  },
  {
    name: 'bot start in a step workflow',
    input: scenarioWith('stoppedReplying', {
      cadence: [{ delay: '1h', workflow: [{ type: 'startBot', botId: 'b' }] }],
    }),
    path: 'scenarios.stoppedReplying.cadence.0.workflow.0.type',
    message: /never start another bot/,
  },
  {
    name: 'unknown action type',
    input: workflowAction({ type: 'sendEmail' }),
    path: 'scenarios.busy.workflow.0.type',
    message: /unknown workflow action type; expected one of addTag, removeTag, assignUser, notifyUser/,
  },
  {
    name: 'action not an object',
    input: workflowAction('addTag'),
    path: 'scenarios.busy.workflow.0',
    message: /expected a workflow action like/,
  },
  {
    name: 'addTag without tag',
    input: workflowAction({ type: 'addTag' }),
    path: 'scenarios.busy.workflow.0.tag',
    message: /is required/,
  },
  {
    name: 'removeTag empty tag',
    input: workflowAction({ type: 'removeTag', tag: '' }),
    path: 'scenarios.busy.workflow.0.tag',
    message: /tag must not be empty/,
  },
  {
    name: 'assignUser without user',
    input: workflowAction({ type: 'assignUser' }),
    path: 'scenarios.busy.workflow.0.userId',
    message: /is required/,
  },
  {
    name: 'notifyUser bad webhook',
    input: workflowAction({ type: 'notifyUser', webhookUrl: 'javascript:alert(1)' }),
    path: 'scenarios.busy.workflow.0.webhookUrl',
    message: /must use http or https/,
  },
  {
    name: 'action unknown field',
    input: workflowAction({ type: 'addTag', tag: 't', colour: 'red' }),
    path: 'scenarios.busy.workflow.0.colour',
    message: /unknown field/,
  },
  {
    name: 'too many actions',
    input: scenarioWith('busy', { workflow: Array.from({ length: 11 }, () => ({ type: 'addTag', tag: 't' })) }),
    path: 'scenarios.busy.workflow',
    message: /at most 10 workflow actions/,
  },
  // working hours
  {
    name: 'bad HH:MM',
    input: { name: 'S', workingHours: { mon: [{ start: '8:00', end: '17:00' }] } },
    path: 'workingHours.mon.0.start',
    message: /HH:MM/,
  },
  {
    name: 'hour 25',
    input: { name: 'S', workingHours: { mon: [{ start: '08:00', end: '25:00' }] } },
    path: 'workingHours.mon.0.end',
    message: /HH:MM \(00:00–24:00\)/,
  },
  {
    name: '24:00 as a start',
    input: { name: 'S', workingHours: { mon: [{ start: '24:00', end: '24:00' }] } },
    path: 'workingHours.mon.0.start',
    message: /HH:MM/,
  },
  {
    name: 'start equals end',
    input: { name: 'S', workingHours: { mon: [{ start: '09:00', end: '09:00' }] } },
    path: 'workingHours.mon.0.end',
    message: /end 09:00 must be after start 09:00/,
  },
  {
    name: 'start after end (crossing midnight)',
    input: { name: 'S', workingHours: { fri: [{ start: '22:00', end: '02:00' }] } },
    path: 'workingHours.fri.0.end',
    message: /must be after start 22:00 \(split intervals that cross midnight\)/,
  },
  {
    name: 'overlapping intervals',
    input: {
      name: 'S',
      workingHours: {
        tue: [
          { start: '12:00', end: '18:00' },
          { start: '08:00', end: '12:30' },
        ],
      },
    },
    path: 'workingHours.tue.0',
    message: /12:00–18:00 overlaps 08:00–12:30/,
  },
  {
    name: 'no open time in the week',
    input: { name: 'S', workingHours: { mon: [], sun: [] } },
    path: 'workingHours',
    message: /no open time in the week; use null/,
  },
  { name: 'empty table', input: { name: 'S', workingHours: {} }, path: 'workingHours', message: /no open time/ },
  {
    name: 'day not a list',
    input: { name: 'S', workingHours: { mon: '08:00-17:00' } },
    path: 'workingHours.mon',
    message: /^expected a list, got string$/,
  },
  {
    name: 'working hours not an object',
    input: { name: 'S', workingHours: 'always' },
    path: 'workingHours',
    message: /^expected an object, got string$/,
  },
  {
    name: 'unknown weekday',
    input: { name: 'S', workingHours: { monday: [{ start: '08:00', end: '17:00' }] } },
    path: 'workingHours.monday',
    message: /unknown field "monday"/,
  },
  {
    name: 'interval unknown field',
    input: { name: 'S', workingHours: { mon: [{ start: '08:00', end: '17:00', tz: 'UTC' }] } },
    path: 'workingHours.mon.0.tz',
    message: /unknown field/,
  },
  {
    name: 'too many intervals',
    input: {
      name: 'S',
      workingHours: { mon: Array.from({ length: 7 }, (_, i) => ({ start: `0${i}:00`, end: `0${i}:30` })) },
    },
    path: 'workingHours.mon',
    message: /at most 6 intervals/,
  },
  // timezone
  {
    name: 'unknown timezone',
    input: { name: 'S', timezone: 'Mars/Olympus' },
    path: 'timezone',
    message: /unknown time zone "Mars\/Olympus"/,
  },
  {
    name: 'offset instead of zone',
    input: { name: 'S', timezone: '+02:00' },
    path: 'timezone',
    message: /unknown time zone/,
  },
  {
    name: 'timezone wrong case',
    input: { name: 'S', timezone: 'europe/berlin' },
    path: 'timezone',
    message: /write the time zone as "Europe\/Berlin"/,
  },
  // cap
  {
    name: 'cap zero',
    input: { name: 'S', followUpCapPer24h: 0 },
    path: 'followUpCapPer24h',
    message: /between 1 and 20/,
  },
  {
    name: 'cap 21',
    input: { name: 'S', followUpCapPer24h: 21 },
    path: 'followUpCapPer24h',
    message: /between 1 and 20/,
  },
  {
    name: 'cap fractional',
    input: { name: 'S', followUpCapPer24h: 2.5 },
    path: 'followUpCapPer24h',
    message: /whole number/,
  },
  {
    name: 'cap as string',
    input: { name: 'S', followUpCapPer24h: '3' },
    path: 'followUpCapPer24h',
    message: /must be a number/,
  },
  // booking URL, quiet hours
  {
    name: 'booking URL relative',
    input: { name: 'S', bookingUrl: '/book' },
    path: 'bookingUrl',
    message: /absolute http\(s\) URL/,
  },
  {
    name: 'widget colour by name',
    input: { name: 'S', widgetColor: 'green' },
    path: 'widgetColor',
    message: /# and six hex digits/,
  },
  {
    name: 'booking URL ftp',
    input: { name: 'S', bookingUrl: 'ftp://example.com/x' },
    path: 'bookingUrl',
    message: /must use http or https/,
  },
  {
    name: 'quiet hours removed',
    input: { name: 'S', smsQuietHours: { start: '08:00', end: '08:00' } },
    path: 'smsQuietHours',
    message: /can be narrowed but not removed/,
  },
  {
    name: 'quiet hours under an hour',
    input: { name: 'S', smsQuietHours: { start: '23:30', end: '00:15' } },
    path: 'smsQuietHours',
    message: /at least 1 hour/,
  },
  {
    name: 'quiet hours null',
    input: { name: 'S', smsQuietHours: null },
    path: 'smsQuietHours',
    message: /expected an object, got null/,
  },
  {
    name: 'quiet hours bad time',
    input: { name: 'S', smsQuietHours: { start: '9pm', end: '08:00' } },
    path: 'smsQuietHours.start',
    message: /HH:MM/,
  },
  // prototype tricks stay plain unknown fields
  {
    name: '__proto__ key',
    input: JSON.parse('{"name":"S","__proto__":{"active":false}}'),
    path: '__proto__',
    message: /unknown field "__proto__"/,
  },
];

for (const c of rejections) {
  test(`rejects: ${c.name}`, () => {
    const errors = errorsOf(parseBotConfig(c.input, { minDelaySeconds: 60 }));
    const hit = errors.find((e) => e.path === c.path && c.message.test(e.message));
    assert.ok(hit, `no error at "${c.path}" matching ${c.message}; got ${JSON.stringify(errors)}`);
  });
}

test('a rejected config reports every problem at once, each at its field', () => {
  const errors = errorsOf(
    parseBotConfig(
      {
        name: 'S',
        timezone: 'Nowhere/City',
        followUpCapPer24h: 99,
        scenarios: { busy: { cadence: [{ delay: '5s' }], workflow: [{ type: 'startBot', botId: 'x' }] } },
      },
      { minDelaySeconds: 60 },
    ),
  );
  assert.deepEqual(errors.map((e) => e.path).sort(), [
    'followUpCapPer24h',
    'scenarios.busy.cadence.0.delay',
    'scenarios.busy.workflow.0.type',
    'timezone',
  ]);
});

test('the floor is still reported when zod stops early elsewhere in the same cadence', () => {
  const errors = errorsOf(
    parseBotConfig(scenarioWith('busy', { cadence: [{ delay: '5s' }, 2, 3, 4, 5, 6] }), { minDelaySeconds: 60 }),
  );
  assert.ok(errors.some((e) => e.path === 'scenarios.busy.cadence' && /at most 5/.test(e.message)));
  assert.ok(errors.some((e) => e.path === 'scenarios.busy.cadence.0.delay' && /below the minimum/.test(e.message)));
});

test('requestedTime step 1 may be 0 (at the requested instant) or any offset', () => {
  for (const delay of ['0m', '0s', '30s', { value: 0, unit: 'minutes' }]) {
    const config = ok(
      parseBotConfig(scenarioWith('requestedTime', { cadence: [{ delay }, { delay: '1h' }] }), { minDelaySeconds: 60 }),
    );
    assert.deepEqual(config.scenarios.requestedTime.cadence[0].delay, delay);
  }
});

test('exactly the floor is accepted', () => {
  ok(parseBotConfig(scenarioWith('busy', { cadence: [{ delay: '60s' }, { delay: '1m' }] }), { minDelaySeconds: 60 }));
});

test('workflow actions that do not start bots are accepted, including notifyUser with no target', () => {
  const config = ok(parseBotConfig(workflowAction({ type: 'notifyUser' }), { minDelaySeconds: 60 }));
  assert.deepEqual(config.scenarios.busy.workflow, [{ type: 'notifyUser' }]);
});

test('adjacent working-hour intervals and 24:00 ends are fine', () => {
  const hours = {
    sat: [
      { start: '00:00', end: '12:00' },
      { start: '12:00', end: '24:00' },
    ],
  };
  assert.deepEqual(ok(parseBotConfig({ name: 'S', workingHours: hours }, { minDelaySeconds: 60 })).workingHours, hours);
});

// ---------------------------------------------------------------------------------------
// patches

test('applyConfigPatch merges objects deeply and leaves current untouched', () => {
  const current = defaultBotConfig('S');
  const before = structuredClone(current);
  const next = ok(
    applyConfigPatch(
      current,
      { timezone: 'Asia/Tokyo', scenarios: { busy: { enabled: false } } },
      { minDelaySeconds: 60 },
    ),
  );
  assert.equal(next.timezone, 'Asia/Tokyo');
  assert.equal(next.scenarios.busy.enabled, false);
  assert.deepEqual(next.scenarios.busy.cadence, before.scenarios.busy.cadence);
  assert.deepEqual(next.scenarios.requestedTime, before.scenarios.requestedTime);
  assert.deepEqual(current, before);
});

test('applyConfigPatch replaces arrays, message specs, durations and the working-hours table whole', () => {
  const current = ok(
    parseBotConfig(
      {
        name: 'S',
        botReplyTimeout: { value: 5, unit: 'minutes' },
        workingHours: { mon: [{ start: '08:00', end: '17:00' }], tue: [{ start: '08:00', end: '17:00' }] },
        scenarios: {
          busy: {
            message: { mode: 'custom', text: 'Hello' },
            cadence: [{ delay: '1h' }, { delay: '2h' }, { delay: '3h' }],
          },
        },
      },
      { minDelaySeconds: 60 },
    ),
  );
  const next = ok(
    applyConfigPatch(
      current,
      {
        botReplyTimeout: '2m',
        workingHours: { sat: [{ start: '10:00', end: '14:00' }] },
        scenarios: { busy: { message: { mode: 'ai' }, cadence: [{ delay: '4h' }] } },
      },
      { minDelaySeconds: 60 },
    ),
  );
  assert.equal(next.botReplyTimeout, '2m');
  assert.deepEqual(next.workingHours, { sat: [{ start: '10:00', end: '14:00' }] });
  assert.deepEqual(next.scenarios.busy.message, { mode: 'ai' });
  assert.deepEqual(next.scenarios.busy.cadence, [{ delay: '4h' }]);
});

test('applyConfigPatch can clear nullable fields and merges quiet hours field by field', () => {
  const current = ok(
    parseBotConfig(
      { name: 'S', bookingUrl: 'https://x.example/book', workingHours: { mon: [{ start: '08:00', end: '17:00' }] } },
      { minDelaySeconds: 60 },
    ),
  );
  const next = ok(
    applyConfigPatch(
      current,
      { bookingUrl: null, workingHours: null, smsQuietHours: { end: '07:30' } },
      { minDelaySeconds: 60 },
    ),
  );
  assert.equal(next.bookingUrl, null);
  assert.equal(next.workingHours, null);
  assert.deepEqual(next.smsQuietHours, { start: '21:00', end: '07:30' });
});

test('applyConfigPatch validates the merged result', () => {
  const current = defaultBotConfig('S');
  const errors = errorsOf(
    applyConfigPatch(
      current,
      { scenarios: { busy: { cadence: [{ delay: '10s' }] } }, extra: 1 },
      { minDelaySeconds: 60 },
    ),
  );
  assert.deepEqual(errors.map((e) => e.path).sort(), ['extra', 'scenarios.busy.cadence.0.delay']);
  assert.deepEqual(errorsOf(applyConfigPatch(current, [1, 2])), [
    { path: '', message: 'a configuration patch must be a JSON object' },
  ]);
  assert.deepEqual(errorsOf(applyConfigPatch(current, { name: '' }, { minDelaySeconds: 60 })), [
    { path: 'name', message: 'name must not be empty' },
  ]);
});

// ---------------------------------------------------------------------------------------
// the delay floor and NUDGE_MIN_DELAY_SECONDS

test('minDelaySeconds reads NUDGE_MIN_DELAY_SECONDS, which may only lower the floor', () => {
  const cases: { env: string | undefined; expect: number | RegExp }[] = [
    { env: undefined, expect: 60 },
    { env: '', expect: 60 },
    { env: '60', expect: 60 },
    { env: '5', expect: 5 },
    { env: ' 1 ', expect: 1 },
    { env: '0', expect: 0 },
    { env: '61', expect: /may only lower the delay floor \(at most 60\), got 61/ },
    { env: '3600', expect: /may only lower/ },
    { env: 'abc', expect: /NUDGE_MIN_DELAY_SECONDS must be a whole number of seconds between 0 and 60, got "abc"/ },
    { env: '-5', expect: /whole number/ },
    { env: '1.5', expect: /whole number/ },
    { env: '5s', expect: /whole number/ },
  ];
  for (const c of cases) {
    const env = c.env === undefined ? {} : { NUDGE_MIN_DELAY_SECONDS: c.env };
    if (typeof c.expect === 'number') assert.equal(minDelaySeconds(env), c.expect, `env ${c.env}`);
    else assert.throws(() => minDelaySeconds(env), c.expect, `env ${c.env}`);
  }
});

test('parseBotConfig uses the env floor when no option is given, and throws on an invalid env value', (t) => {
  const saved = process.env.NUDGE_MIN_DELAY_SECONDS;
  t.after(() => {
    if (saved === undefined) delete process.env.NUDGE_MIN_DELAY_SECONDS;
    else process.env.NUDGE_MIN_DELAY_SECONDS = saved;
  });
  const fast = scenarioWith('busy', { cadence: [{ delay: '2s' }, { delay: '3s' }] });

  delete process.env.NUDGE_MIN_DELAY_SECONDS;
  assert.match(errorsOf(parseBotConfig(fast))[0].message, /delay 2s is below the minimum of 1m/);

  process.env.NUDGE_MIN_DELAY_SECONDS = '1';
  assert.deepEqual(ok(parseBotConfig(fast)).scenarios.busy.cadence, [{ delay: '2s' }, { delay: '3s' }]);
  assert.match(
    errorsOf(parseBotConfig(scenarioWith('busy', { cadence: [{ delay: '0s' }] })))[0].message,
    /delay 0s is below the minimum of 1s/,
  );

  process.env.NUDGE_MIN_DELAY_SECONDS = '120';
  assert.throws(() => parseBotConfig(fast), /NUDGE_MIN_DELAY_SECONDS may only lower the delay floor/);
});

test('the minDelaySeconds option overrides the env and is itself checked', () => {
  const fast = scenarioWith('busy', { cadence: [{ delay: '2s' }] });
  ok(parseBotConfig(fast, { minDelaySeconds: 2 }));
  assert.match(errorsOf(parseBotConfig(fast, { minDelaySeconds: 3 }))[0].message, /below the minimum of 3s/);
  assert.throws(() => parseBotConfig(fast, { minDelaySeconds: -1 }), /minDelaySeconds must be a number ≥ 0/);
});

test('doubt settings are checked with clear errors', () => {
  const errors = (input: Record<string, unknown>) => {
    const result = parseBotConfig({ name: 'S', ...input }, { minDelaySeconds: 60 });
    assert.equal(result.ok, false);
    return result.ok ? [] : result.errors;
  };
  assert.deepEqual(errors({ uncertainThreshold: 1.5 }), [
    {
      path: 'uncertainThreshold',
      message: 'uncertainThreshold must be between 0 and 1 (1 holds every message the model is not certain of)',
    },
  ]);
  assert.equal(errors({ uncertainThreshold: 'high' })[0].path, 'uncertainThreshold');
  assert.deepEqual(errors({ onDoubt: 'ignore' }), [
    { path: 'onDoubt', message: 'onDoubt must be "hold" or "treatAsEngaged"' },
  ]);
  assert.match(errors({ reviewWebhookUrl: 'ftp://x' })[0].message, /reviewWebhookUrl must use http or https/);
  const defaults = defaultBotConfig('S');
  assert.equal(defaults.onDoubt, 'hold');
  assert.ok(defaults.uncertainThreshold > 0 && defaults.uncertainThreshold < 1);
});

test("the default uncertainThreshold is the learned model's own default", () => {
  assert.equal(defaultBotConfig('S').uncertainThreshold, MODEL_UNCERTAIN_THRESHOLD);
});
