import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { guardedFetch, OutboundRefusedError, parseOutboundAllow, type Resolver } from '../../src/net/outboundGuard.ts';
import { isPrivateAddress } from '../../src/net/privateAddress.ts';

test('private, loopback, link-local, multicast and unspecified addresses are refused in IPv4 and IPv6 forms; public ones pass', () => {
  for (const address of [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fd00::1',
    'ff02::1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
    '2002:a00:1::',
    'not-an-address',
  ]) {
    assert.equal(isPrivateAddress(address), true, address);
  }
  for (const address of ['8.8.8.8', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8'])
    assert.equal(isPrivateAddress(address), false, address);
});

test('NUDGE_OUTBOUND_ALLOW takes host names, addresses and CIDRs, and names itself on a bad entry', () => {
  const policy = parseOutboundAllow(' hooks.internal, 10.0.0.0/8 ,fd00::/8,127.0.0.1');
  assert.deepEqual(policy.source, ['hooks.internal', '10.0.0.0/8', 'fd00::/8', '127.0.0.1']);
  assert.ok(policy.hosts.has('hooks.internal'));
  assert.ok(policy.networks.check('10.9.9.9', 'ipv4'));
  for (const bad of ['10.0.0.0/33', 'http://x', '10.0.0.0/8/1', 'a b'])
    assert.throws(() => parseOutboundAllow(bad), /NUDGE_OUTBOUND_ALLOW: ".*" is not a host name/);
});

test('a name is checked when resolved and the socket connects to the checked address (no second lookup to rebind)', async (t) => {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as { port: number }).port;
  const toLoopback: Resolver = (_host, _options, callback) => callback(null, [{ address: '127.0.0.1', family: 4 }]);
  const none = () => parseOutboundAllow(undefined);
  await assert.rejects(
    guardedFetch(none, toLoopback)(`http://rebind.test:${port}/`, { method: 'POST', body: '{}' }),
    OutboundRefusedError,
  );
  assert.equal(hits, 0, 'refused before connecting');

  // A rebinding name: an allowed address for the first answer, a private one for any later.
  // The socket connects to the first (checked) answer, and there is no second lookup.
  let lookups = 0;
  const rebinding: Resolver = (_host, _options, callback) => {
    lookups++;
    callback(null, [{ address: lookups === 1 ? '127.0.0.1' : '10.0.0.1', family: 4 }]);
  };
  const response = await guardedFetch(() => parseOutboundAllow('127.0.0.0/8'), rebinding)(
    `http://rebind.test:${port}/`,
    { method: 'POST', body: '{}' },
  );
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'ok');
  assert.equal(lookups, 1, 'resolved once, for the check and the connection alike');
  assert.equal(hits, 1);
});
