import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import {
  metaSignature,
  signWebhookBody,
  twilioSignature,
  verifyMetaSignature,
  verifyTwilioSignature,
  verifyWebhookBody,
} from '../../src/channels/signatures.ts';

const TOKEN = '12345';
const URL_ = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+12349013030',
  Digits: '1234',
  From: '+12349013030',
  To: '+18005551212',
};

test('twilioSignature follows the documented algorithm (url + sorted key/value pairs, HMAC-SHA1, base64)', () => {
  // Independent re-computation of Twilio's documented example string.
  const data =
    'https://mycompany.com/myapp.php?foo=1&bar=2' +
    'CallSidCA1234567890ABCDE' +
    'Caller+12349013030' +
    'Digits1234' +
    'From+12349013030' +
    'To+18005551212';
  const expected = createHmac('sha1', TOKEN).update(data).digest('base64');
  assert.equal(twilioSignature(TOKEN, URL_, PARAMS), expected);
  // The example published in Twilio's security documentation.
  assert.equal(expected, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
});

test('verifyTwilioSignature accepts the right signature and rejects tampering', () => {
  const sig = twilioSignature(TOKEN, URL_, PARAMS);
  assert.equal(verifyTwilioSignature(TOKEN, URL_, PARAMS, sig), true);
  assert.equal(verifyTwilioSignature(TOKEN, URL_, { ...PARAMS, Digits: '1235' }, sig), false);
  assert.equal(verifyTwilioSignature(TOKEN, URL_.replace('foo=1', 'foo=2'), PARAMS, sig), false);
  assert.equal(verifyTwilioSignature('other-token', URL_, PARAMS, sig), false);
  assert.equal(verifyTwilioSignature(TOKEN, URL_, PARAMS, undefined), false);
  assert.equal(verifyTwilioSignature(TOKEN, URL_, PARAMS, ''), false);
  assert.equal(verifyTwilioSignature(TOKEN, URL_, PARAMS, sig.slice(0, -2)), false);
});

test('verifyTwilioSignature tolerates the default port being present or absent', () => {
  const withPort = 'https://mycompany.com:443/myapp.php?foo=1&bar=2';
  assert.equal(verifyTwilioSignature(TOKEN, URL_, PARAMS, twilioSignature(TOKEN, withPort, PARAMS)), true);
  assert.equal(verifyTwilioSignature(TOKEN, withPort, PARAMS, twilioSignature(TOKEN, URL_, PARAMS)), true);
  // A different, non-default port is a different URL.
  const other = 'https://mycompany.com:8443/myapp.php?foo=1&bar=2';
  assert.equal(verifyTwilioSignature(TOKEN, URL_, PARAMS, twilioSignature(TOKEN, other, PARAMS)), false);
});

test('repeated parameters contribute each value, sorted', () => {
  const a = twilioSignature(TOKEN, URL_, { MediaUrl: ['b', 'a'] });
  const b = twilioSignature(TOKEN, URL_, { MediaUrl: ['a', 'b'] });
  assert.equal(a, b);
  assert.equal(a, createHmac('sha1', TOKEN).update(`${URL_}MediaUrlaMediaUrlb`).digest('base64'));
});

test('verifyMetaSignature checks sha256=<hex> over the raw bytes', () => {
  const body = Buffer.from('{"object":"page","entry":[]}');
  const header = `sha256=${createHmac('sha256', 'app-secret').update(body).digest('hex')}`;
  assert.equal(metaSignature('app-secret', body), header);
  assert.equal(verifyMetaSignature('app-secret', body, header), true);
  assert.equal(
    verifyMetaSignature('app-secret', body.toString(), header.toUpperCase().replace('SHA256=', 'sha256=')),
    true,
  );
  assert.equal(verifyMetaSignature('app-secret', Buffer.from('{"object":"page","entry":[] }'), header), false);
  assert.equal(verifyMetaSignature('other', body, header), false);
  assert.equal(verifyMetaSignature('app-secret', body, undefined), false);
  assert.equal(verifyMetaSignature('app-secret', body, header.replace('sha256=', 'sha1=')), false);
  assert.equal(verifyMetaSignature('app-secret', body, 'sha256=zz'), false);
});

test('signWebhookBody signs `${timestamp}.${body}` and verifyWebhookBody checks it with a tolerance', () => {
  const body = '{"event":"followup.sent"}';
  const ts = Date.UTC(2026, 0, 5, 9, 0, 0);
  const signed = signWebhookBody('whsec', body, ts);
  assert.equal(signed.signature, `sha256=${createHmac('sha256', 'whsec').update(`${ts}.${body}`).digest('hex')}`);
  assert.deepEqual(signed.headers, { 'X-Nudge-Signature': signed.signature, 'X-Nudge-Timestamp': String(ts) });
  assert.equal(verifyWebhookBody('whsec', body, signed.signature, String(ts), ts + 1000), true);
  assert.equal(verifyWebhookBody('whsec', `${body} `, signed.signature, String(ts), ts), false);
  assert.equal(verifyWebhookBody('whsec', body, signed.signature, String(ts + 1), ts), false, 'timestamp is signed');
  assert.equal(verifyWebhookBody('whsec', body, signed.signature, String(ts), ts + 10 * 60_000), false, 'too old');
  assert.equal(verifyWebhookBody('whsec', body, undefined, String(ts), ts), false);
  assert.throws(() => signWebhookBody('whsec', body, 1.5), /epoch milliseconds/);
});
