/**
 * Unit tests for the gateway's pure parts: visitor tokens, origin rules, token buckets
 * and phone normalisation.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { FakeClock } from '../../src/clock.ts';
import { isOriginAllowed, normalizeOrigin } from '../../src/gateway/origin.ts';
import { normalizePhone } from '../../src/gateway/protocol.ts';
import { TokenBucket } from '../../src/gateway/rateLimit.ts';
import { loadOrCreateVisitorSecret, signVisitorToken, verifyVisitorToken } from '../../src/gateway/visitorToken.ts';

const secret = Buffer.alloc(32, 1);

test('visitor token verifies only for the bot and contact it was signed for', () => {
  fc.assert(
    fc.property(
      fc.string({ minLength: 1 }),
      fc.string({ minLength: 1 }),
      fc.string({ minLength: 1 }),
      (botId, contactId, otherBot) => {
        const token = signVisitorToken(secret, botId, contactId);
        assert.equal(verifyVisitorToken(secret, botId, token), contactId);
        if (otherBot !== botId) assert.equal(verifyVisitorToken(secret, otherBot, token), null);
        assert.equal(verifyVisitorToken(Buffer.alloc(32, 2), botId, token), null);
      },
    ),
    { numRuns: 200 },
  );
});

test('tampered or malformed visitor tokens are refused', () => {
  const token = signVisitorToken(secret, 'bot-1', 'contact-1');
  const [v, id, mac] = token.split('.') as [string, string, string];
  const otherId = Buffer.from('contact-2').toString('base64url');
  const flipped = mac.slice(0, -1) + (mac.endsWith('A') ? 'B' : 'A');
  for (const bad of [
    '',
    'v1',
    `${v}.${id}`,
    `v2.${id}.${mac}`,
    `${v}.${otherId}.${mac}`,
    `${v}.${id}.${flipped}`,
    `${v}.${id}.${mac}.extra`,
    `${v}.${id}.${mac.slice(0, 20)}`,
    `${v}.${id}=.${mac}`,
    `${v}..${mac}`,
    'x'.repeat(600),
  ]) {
    assert.equal(verifyVisitorToken(secret, 'bot-1', bad), null, bad);
  }
  assert.throws(() => signVisitorToken(Buffer.alloc(8), 'b', 'c'), /at least 32 bytes/);
});

test('the visitor secret is created once, private, and reused', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nudge-secret-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'nested', 'visitor-secret');
  const first = loadOrCreateVisitorSecret(file);
  assert.equal(first.length, 32);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(loadOrCreateVisitorSecret(file), first);
  assert.equal(readFileSync(file, 'utf8').trim(), first.toString('hex'));
  writeFileSync(file, 'abcd');
  assert.throws(() => loadOrCreateVisitorSecret(file), /at least 32 bytes/);
});

test('origins compare by scheme, host and port', () => {
  assert.equal(normalizeOrigin('https://Shop.Example:443/path'), 'https://shop.example');
  assert.equal(normalizeOrigin('null'), null);
  assert.equal(normalizeOrigin('file:///tmp/x.html'), null);
  assert.equal(normalizeOrigin('not a url'), null);
  const allowed = ['https://shop.example', 'http://localhost:3000'];
  assert.equal(isOriginAllowed('https://shop.example', allowed), true);
  assert.equal(isOriginAllowed('http://localhost:3000', allowed), true);
  assert.equal(isOriginAllowed('http://localhost:3001', allowed), false);
  assert.equal(isOriginAllowed('https://shop.example.evil.com', allowed), false);
  assert.equal(isOriginAllowed('null', allowed), false);
  assert.equal(isOriginAllowed(undefined, allowed), false);
  assert.equal(isOriginAllowed('https://shop.example', []), false);
  assert.equal(isOriginAllowed(undefined, ['*']), true);
});

test('token bucket: burst, then refill at the set rate, never above the burst', () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket({ burst: 3, perSecond: 2 }, clock);
  assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
  clock.advance(499);
  assert.equal(bucket.take(), false);
  clock.advance(1);
  assert.equal(bucket.take(), true);
  assert.equal(bucket.isFull(), false);
  clock.advance(60_000);
  assert.equal(bucket.isFull(), true);
  assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
  assert.throws(() => new TokenBucket({ burst: 0, perSecond: 1 }, clock), /bad bucket limit/);
});

test('phones are normalised to E.164 and invalid ones refused', () => {
  assert.equal(normalizePhone('+1 (415) 555-2671'), '+14155552671');
  assert.equal(normalizePhone('(415) 555-2671', 'us'), '+14155552671');
  assert.equal(normalizePhone('020 7183 8750', 'GB'), '+442071838750');
  assert.equal(normalizePhone('020 7183 8750'), null);
  assert.equal(normalizePhone('020 7183 8750', 'ZZ'), null);
  assert.equal(normalizePhone('+1 555 0100'), null);
  assert.equal(normalizePhone('hello'), null);
});
