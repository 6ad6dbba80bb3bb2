/**
 * fast-check generators of bad input for the live-chat WebSocket and the HTTP API, by
 * family: random JSON, wrong types, huge strings, deep nesting, invalid UTF-8, binary
 * frames/bodies, oversized frames/bodies and (HTTP) wrong content types.
 *
 * Every case is invalid BY CONSTRUCTION (at least one field is wrong, or the bytes are
 * not a JSON object), so none of them may change stored data, and each carries what the
 * server must answer: any documented error, or a specific one for families where the
 * protocol names it (binary → invalid_json, invalid UTF-8 → close 1007, ...).
 */
import fc from 'fast-check';
import { MAX_IMPORT_BYTES } from '../../../src/viz/exportFile.ts';

// ---------------------------------------------------------------- shared pieces

const VALID_FRAME_TYPES = new Set(['hello', 'message', 'contact', 'typing']);

/** Sequences that are not UTF-8: a lone continuation byte, a truncated 2-byte lead, an
 * overlong '/', a UTF-16 surrogate, bytes that never occur (0xfe, 0xff). */
const INVALID_UTF8 = [
  [0x80],
  [0xc3],
  [0xc3, 0x28],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xfe],
  [0xff],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];

/** Splices an invalid UTF-8 sequence into the bytes of `text` inside its first string value. */
export function withInvalidUtf8(text: string, which: number, at: number): Uint8Array {
  const bytes = Buffer.from(text, 'utf8');
  const firstQuote = bytes.indexOf(0x22);
  const secondQuote = firstQuote >= 0 ? bytes.indexOf(0x22, firstQuote + 1) : -1;
  const pos =
    secondQuote > firstQuote + 1 ? firstQuote + 1 + (at % (secondQuote - firstQuote)) : Math.min(at, bytes.length);
  return Buffer.concat([
    bytes.subarray(0, pos),
    Buffer.from(INVALID_UTF8[which % INVALID_UTF8.length]),
    bytes.subarray(pos),
  ]);
}

/** Any JSON value whose type is not one of `allowed` (never undefined: it would drop the key). */
function wrongType(allowed: readonly string[]): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [];
  if (!allowed.includes('string')) options.push(fc.string({ maxLength: 20 }));
  if (!allowed.includes('number'))
    options.push(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })));
  if (!allowed.includes('boolean')) options.push(fc.boolean());
  if (!allowed.includes('null')) options.push(fc.constant(null));
  if (!allowed.includes('array')) options.push(fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }));
  if (!allowed.includes('object'))
    options.push(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }));
  return fc.oneof(...options);
}

const nonObjectJson = fc
  .jsonValue({ maxDepth: 3 })
  .filter((v) => v !== null && (typeof v !== 'object' || Array.isArray(v)));

function nested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '0' + '}'.repeat(depth);
}

// ---------------------------------------------------------------- WebSocket frames

export type WsPayload =
  { kind: 'text'; data: string } | { kind: 'raw-text'; data: Uint8Array } | { kind: 'binary'; data: Uint8Array };

export interface WsCase {
  family: string;
  /** Say hello with a known visitor first, so the frame meets a ready connection. */
  afterHello: boolean;
  payload: WsPayload;
  /** A specific answer the protocol promises for this family; otherwise any documented error or close. */
  expect?: { error: string } | { close: number };
}

/** Frame size limit of the gateway (DEFAULT_LIMITS.maxPayloadBytes). */
export const WS_MAX_PAYLOAD = 16 * 1024;
const WS_MAX_TEXT = 2000;

const badClientId = fc.oneof(
  wrongType(['string']),
  fc.constant(''),
  fc.string({ minLength: 1, maxLength: 10 }).map((s) => `a ${s}`), // a space
  fc.constant('x'.repeat(129)),
  fc.constant('é-unicode'),
);
const goodClientId = fc.stringMatching(/^[A-Za-z0-9-]{1,40}$/);
const badText = fc.oneof(wrongType(['string']), fc.constantFrom('', '   ', '\n\t'));
const goodText = fc.string({ minLength: 1, maxLength: 50 }).filter((s) => s.trim().length > 0);

function messageFrame(): fc.Arbitrary<Record<string, unknown>> {
  // At least one of clientId / text is wrong or missing.
  return fc
    .oneof(
      fc.record({ clientId: badClientId, text: fc.option(goodText, { nil: undefined }) }),
      fc.record({ clientId: fc.option(goodClientId, { nil: undefined }), text: badText }),
      fc.record({ clientId: goodClientId }),
      fc.record({ text: goodText }),
    )
    .map((f) => ({ type: 'message', ...f }));
}

function contactFrame(): fc.Arbitrary<Record<string, unknown>> {
  const bad = fc.oneof(
    fc.record({ name: fc.oneof(wrongType(['string']), fc.constantFrom('', '   ', '\u0007', 'n'.repeat(101))) }),
    fc.record({
      phone: fc.oneof(wrongType(['string']), fc.constantFrom('', '12', 'call me', '+1 (555) 0', '9'.repeat(41))),
    }),
    fc.record({
      email: fc.oneof(wrongType(['string']), fc.constantFrom('', 'no-at-sign', 'a@b', `${'e'.repeat(250)}@x.io`)),
    }),
    fc.record({ country: fc.oneof(wrongType(['string']), fc.constantFrom('', 'USA', '1x')), name: fc.constant('Ana') }),
    fc.record({ clientId: badClientId, name: fc.constant('Ana') }),
    fc.constant({}), // none of name/phone/email
  );
  return bad.map((f) => ({ type: 'contact', ...f }));
}

function helloFrame(): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .oneof(
      fc.record({ botKey: fc.oneof(wrongType(['string']), fc.constant(''), fc.constant('k'.repeat(257))) }),
      fc.record({ visitorToken: fc.oneof(wrongType(['string']), fc.constant(''), fc.constant('t'.repeat(513))) }),
      fc.record({
        lastSeq: fc.oneof(
          wrongType(['number']),
          fc.integer({ max: -1 }),
          fc.double({ min: 0.1, max: 1e6, noNaN: true }).filter((d) => !Number.isInteger(d)),
          fc.constant(2 ** 60),
        ),
      }),
    )
    .map((f) => ({ type: 'hello', ...f }));
}

const typingFrame = wrongType(['boolean'])
  .filter((v) => v !== undefined)
  .map((typing) => ({ type: 'typing', typing }));

const randomObjectFrame = fc
  .dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 })
  .chain((o) =>
    fc.record({
      o: fc.constant(o),
      type: fc.option(fc.oneof(fc.string({ maxLength: 12 }), wrongType(['string'])), { nil: undefined }),
    }),
  )
  .map(({ o, type }) => {
    const frame: Record<string, unknown> = { ...o };
    delete frame.type;
    if (type !== undefined) frame.type = type;
    return frame;
  })
  .filter((f) => !(typeof f.type === 'string' && VALID_FRAME_TYPES.has(f.type)));

export function wsCases(): fc.Arbitrary<WsCase> {
  const afterHello = fc.boolean();
  const text = (family: string, frame: fc.Arbitrary<unknown>, expect?: WsCase['expect']) =>
    fc.record({ afterHello, frame }).map(({ afterHello, frame }) => ({
      family,
      afterHello,
      payload: { kind: 'text', data: JSON.stringify(frame) } as WsPayload,
      ...(expect ? { expect } : {}),
    }));
  return fc.oneof(
    // random JSON: not an object, or an object without a known type
    text('json-not-object', nonObjectJson, { error: 'invalid_json' }),
    fc
      .record({ afterHello, s: fc.string({ maxLength: 40 }) })
      .filter(({ s }) => {
        try {
          JSON.parse(s);
          return false;
        } catch {
          return true;
        }
      })
      .map(({ afterHello, s }) => ({
        family: 'not-json',
        afterHello,
        payload: { kind: 'text', data: s } as WsPayload,
        expect: { error: 'invalid_json' },
      })),
    text('json-object-unknown-type', randomObjectFrame),
    // wrong types / invalid values in known frames
    text('wrong-types-message', messageFrame()),
    text('wrong-types-contact', contactFrame()),
    text('wrong-types-hello', helloFrame()),
    text('wrong-types-typing', typingFrame),
    // huge strings: over the text limit but inside the frame limit, or over the frame limit
    fc
      .record({ afterHello, n: fc.integer({ min: WS_MAX_TEXT + 1, max: 7000 }), ch: fc.constantFrom('x', 'é', '€') })
      .map(({ afterHello, n, ch }) => {
        const data = JSON.stringify({ type: 'message', clientId: 'huge-1', text: ch.repeat(n) });
        return {
          family: 'huge-text',
          afterHello,
          payload: { kind: 'text', data } as WsPayload,
          expect: Buffer.byteLength(data) > WS_MAX_PAYLOAD ? { close: 1009 } : { error: 'text_too_long' },
        };
      }),
    fc.record({ afterHello, n: fc.integer({ min: WS_MAX_PAYLOAD + 1, max: 200_000 }) }).map(({ afterHello, n }) => ({
      family: 'oversized',
      afterHello,
      payload: {
        kind: 'text',
        data: JSON.stringify({ type: 'message', clientId: 'big', text: 'y'.repeat(n) }),
      } as WsPayload,
      expect: { close: 1009 },
    })),
    // deep nesting, alone or as a field value
    fc
      .record({
        afterHello,
        depth: fc.integer({ min: 10, max: 12_000 }),
        kind: fc.constantFrom('array' as const, 'object' as const),
        asField: fc.boolean(),
      })
      .map(({ afterHello, depth, kind, asField }) => {
        const data = asField
          ? `{"type":"message","clientId":"deep","text":${nested(depth, kind)}}`
          : nested(depth, kind);
        const expect: WsCase['expect'] =
          Buffer.byteLength(data) > WS_MAX_PAYLOAD
            ? { close: 1009 }
            : asField
              ? { error: 'bad_field' }
              : kind === 'array'
                ? { error: 'invalid_json' }
                : undefined;
        return {
          family: 'deep-nesting',
          afterHello,
          payload: { kind: 'text', data } as WsPayload,
          ...(expect ? { expect } : {}),
        };
      }),
    // invalid UTF-8 in a text frame
    fc.record({ afterHello, text: goodText, which: fc.nat(), at: fc.nat() }).map(({ afterHello, text, which, at }) => ({
      family: 'invalid-utf8',
      afterHello,
      payload: {
        kind: 'raw-text',
        data: withInvalidUtf8(JSON.stringify({ text, type: 'message', clientId: 'u8' }), which, at),
      } as WsPayload,
      expect: { close: 1007 },
    })),
    // binary frames: random bytes, or a perfectly valid frame sent as binary
    fc.record({ afterHello, bytes: fc.uint8Array({ minLength: 1, maxLength: 4000 }) }).map(({ afterHello, bytes }) => ({
      family: 'binary',
      afterHello,
      payload: { kind: 'binary', data: bytes } as WsPayload,
      expect: { error: 'invalid_json' },
    })),
    fc.record({ afterHello, text: goodText }).map(({ afterHello, text }) => ({
      family: 'binary-valid-json',
      afterHello,
      payload: {
        kind: 'binary',
        data: Buffer.from(JSON.stringify({ type: 'message', clientId: 'bin-1', text })),
      } as WsPayload,
      expect: { error: 'invalid_json' },
    })),
  );
}

// ---------------------------------------------------------------- HTTP bodies

export interface HttpRoute {
  method: 'POST' | 'PUT' | 'PATCH';
  /** With :bot, :contact, :followup placeholders. */
  path: string;
  /** Known body fields and the JSON types each accepts. */
  fields: Record<string, readonly string[]>;
  /** String fields and their maximum length (for the huge-string family). */
  strings: readonly string[];
  /** A body the route would accept (for the wrong-content-type family: same bytes, wrong type). */
  valid: unknown;
  /** The route works without a body (an empty body may then mean "no body" rather than bad JSON). */
  bodyOptional?: boolean;
  /** Its own body limit, when not the API's (HTTP_BODY_LIMIT). */
  bodyLimit?: number;
}

const DURATION = ['string', 'object'];
export const HTTP_ROUTES: readonly HttpRoute[] = [
  {
    method: 'POST',
    path: '/api/bots',
    fields: { name: ['string'], allowedOrigins: ['array'], config: ['object', 'null'] },
    strings: ['name'],
    valid: { name: 'Fuzz Shop' },
  },
  ...(['PUT', 'PATCH'] as const).map((method) => ({
    method,
    path: '/api/bots/:bot/config',
    fields: {
      name: ['string'],
      active: ['boolean'],
      timezone: ['string'],
      workingHours: ['object', 'null'],
      channelSwitching: ['boolean'],
      bookingUrl: ['string', 'null'],
      followUpCapPer24h: ['number'],
      botReplyTimeout: DURATION,
      missedGrace: DURATION,
      smsQuietHours: ['object'],
      scenarios: ['object'],
    },
    strings: ['name', 'timezone', 'bookingUrl'],
    valid: { active: true },
  })),
  {
    method: 'POST',
    path: '/api/bots/:bot/contacts',
    fields: { name: ['string'], phone: ['string'], email: ['string'], timezone: ['string'], channel: ['string'] },
    strings: ['name', 'email'],
    valid: { name: 'Ana' },
    bodyOptional: true,
  },
  {
    method: 'PATCH',
    path: '/api/contacts/:contact',
    fields: { name: ['string'], phone: ['string'], email: ['string'], timezone: ['string'] },
    strings: ['name', 'email'],
    valid: { name: 'Ana' },
  },
  {
    method: 'POST',
    path: '/api/contacts/:contact/messages/inbound',
    fields: { text: ['string'], channel: ['string'], clientId: ['string'] },
    strings: ['text', 'clientId'],
    valid: { text: 'hello' },
  },
  {
    method: 'POST',
    path: '/api/contacts/:contact/messages/outbound',
    fields: { text: ['string'], sender: ['string'] },
    strings: ['text'],
    valid: { text: 'hello', sender: 'bot' },
  },
  ...['booked', 'booking-cancelled', 'opt-in', 'stop', 'handback'].map((signal) => ({
    method: 'POST' as const,
    path: `/api/contacts/:contact/${signal}`,
    fields: {},
    strings: [],
    valid: {},
    bodyOptional: true,
  })),
  { method: 'POST', path: '/api/followups/:followup/cancel', fields: {}, strings: [], valid: {}, bodyOptional: true },
  { method: 'POST', path: '/api/followups/:followup/send-now', fields: {}, strings: [], valid: {}, bodyOptional: true },
  {
    method: 'POST',
    path: '/api/followups/:followup/reschedule',
    fields: { at: ['string'] },
    strings: ['at'],
    valid: { at: '2030-01-01T10:00:00Z' },
  },
  // The visualizer's uploads: raw bytes parsed and replayed on the import thread, 20 MiB
  // allowed. `valid` is no export file, so every family must still be refused.
  {
    method: 'POST',
    path: '/api/viz/import',
    fields: {
      format: ['string'],
      version: ['number'],
      contact: ['object'],
      bot: ['object'],
      log: ['array'],
      followUps: ['array'],
      messages: ['array'],
    },
    strings: ['format'],
    valid: {},
    bodyLimit: MAX_IMPORT_BYTES,
  },
  {
    method: 'POST',
    path: '/api/viz/import/what-if',
    fields: { afterSeq: ['number'], event: ['object'], policy: ['string'] },
    strings: [],
    valid: { afterSeq: 0, event: { type: 'OPT_IN' } },
    bodyLimit: MAX_IMPORT_BYTES,
  },
];

export interface HttpCase {
  family: string;
  route: HttpRoute;
  body: Uint8Array | string;
  contentType: string | null;
  /** A specific status the API promises for this family; otherwise any 4xx. */
  expectStatus?: number;
}

/** The API's body limit (fastify bodyLimit in server.ts). */
export const HTTP_BODY_LIMIT = 256 * 1024;
const JSON_TYPE = 'application/json';
const limitOf = (route: HttpRoute) => route.bodyLimit ?? HTTP_BODY_LIMIT;

function objectBodyWithUnknownKey(route: HttpRoute): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      known: fc.constant(route.valid as Record<string, unknown>),
      key: fc.string({ minLength: 1, maxLength: 12 }).map((k) => `x_${k}`),
      value: fc.jsonValue({ maxDepth: 2 }),
    })
    .map(({ known, key, value }) => {
      const body: Record<string, unknown> = { ...known };
      Object.defineProperty(body, key, { value, enumerable: true, writable: true, configurable: true });
      return body;
    });
}

export function httpCases(): fc.Arbitrary<HttpCase> {
  const route = fc.constantFrom(...HTTP_ROUTES);
  const json = (family: string, arb: (r: HttpRoute) => fc.Arbitrary<unknown>, expectStatus?: number) =>
    route.chain((r) =>
      arb(r).map((v) => ({
        family,
        route: r,
        body: JSON.stringify(v),
        contentType: JSON_TYPE,
        ...(expectStatus ? { expectStatus } : {}),
      })),
    );
  return fc.oneof(
    json('json-not-object', () => nonObjectJson, 400),
    route.map((r) => ({
      family: 'not-json',
      route: r,
      body: '{"text": "unterminated',
      contentType: JSON_TYPE,
      expectStatus: 400,
    })),
    // For routes whose body is optional an empty body may mean "no body": only the others must refuse it.
    route
      .filter((r) => !r.bodyOptional)
      .map((r) => ({ family: 'empty-json', route: r, body: '', contentType: JSON_TYPE, expectStatus: 400 })),
    json('unknown-field', objectBodyWithUnknownKey, 400),
    // wrong types of known fields (routes without fields get an unknown field instead)
    route.chain((r) => {
      const names = Object.keys(r.fields);
      if (names.length === 0)
        return objectBodyWithUnknownKey(r).map((b) => ({
          family: 'wrong-types',
          route: r,
          body: JSON.stringify(b),
          contentType: JSON_TYPE,
          expectStatus: 400,
        }));
      return fc
        .record({ name: fc.constantFrom(...names), base: fc.constant(r.valid as Record<string, unknown>) })
        .chain(({ name, base }) => wrongType(r.fields[name]).map((value) => ({ ...base, [name]: value })))
        .map((b) => ({
          family: 'wrong-types',
          route: r,
          body: JSON.stringify(b),
          contentType: JSON_TYPE,
          expectStatus: 400,
        }));
    }),
    // huge strings in a known string field (over every field limit), or a body over the limit
    route
      .filter((r) => r.strings.length > 0)
      .chain((r) =>
        fc
          .record({ name: fc.constantFrom(...r.strings), n: fc.integer({ min: 5000, max: 100_000 }) })
          .map(({ name, n }) => ({
            family: 'huge-string',
            route: r,
            body: JSON.stringify({ ...(r.valid as object), [name]: 'z'.repeat(n) }),
            contentType: JSON_TYPE,
            expectStatus: 400,
          })),
      ),
    route.chain((r) =>
      fc.integer({ min: 1, max: 50_000 }).map((n) => ({
        family: 'oversized',
        route: r,
        body: JSON.stringify({ ...(r.valid as object), pad: 'p'.repeat(limitOf(r) + n) }),
        contentType: JSON_TYPE,
        expectStatus: 413,
      })),
    ),
    // deep nesting, as the whole body or as a field value
    route.chain((r) =>
      fc
        .record({
          depth: fc.integer({ min: 10, max: 60_000 }),
          kind: fc.constantFrom('array' as const, 'object' as const),
          asField: fc.boolean(),
        })
        .map(({ depth, kind, asField }) => {
          const inner = nested(depth, kind);
          const body = asField ? `{"x_deep":${inner}}` : inner;
          return {
            family: 'deep-nesting',
            route: r,
            body,
            contentType: JSON_TYPE,
            ...(Buffer.byteLength(body) > limitOf(r) ? { expectStatus: 413 } : { expectStatus: 400 }),
          };
        }),
    ),
    // invalid UTF-8 inside a body that is invalid anyway (unknown field)
    route.chain((r) =>
      fc.record({ b: objectBodyWithUnknownKey(r), which: fc.nat(), at: fc.nat() }).map(({ b, which, at }) => ({
        family: 'invalid-utf8',
        route: r,
        body: withInvalidUtf8(JSON.stringify(b), which, at),
        contentType: JSON_TYPE,
        expectStatus: 400,
      })),
    ),
    // binary bodies: as octet-stream (415) or claiming JSON (400)
    route.chain((r) =>
      fc.uint8Array({ minLength: 1, maxLength: 3000 }).map((bytes) => ({
        family: 'binary',
        route: r,
        body: bytes,
        contentType: 'application/octet-stream',
        expectStatus: 415,
      })),
    ),
    route.chain((r) =>
      fc
        .uint8Array({ minLength: 8, maxLength: 3000 })
        .map((bytes) => Uint8Array.from([0xff, ...bytes])) // never valid JSON
        .map((bytes) => ({
          family: 'binary-as-json',
          route: r,
          body: bytes,
          contentType: JSON_TYPE,
          expectStatus: 400,
        })),
    ),
    // a body the route would accept, under a content type the API does not speak
    route.chain((r) =>
      fc
        .constantFrom(
          'text/plain',
          'text/plain; charset=utf-8',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=zz',
          'application/xml',
          'image/png',
          'application/jsonx',
        )
        .map((contentType) => ({
          family: 'wrong-content-type',
          route: r,
          body: JSON.stringify(r.valid),
          contentType,
          expectStatus: 415,
        })),
    ),
  );
}
