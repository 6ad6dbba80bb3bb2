import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SMS_KEYWORDS, keywordReply, smsKeyword } from '../../src/channels/smsKeywords.ts';

test('opt-out keywords', () => {
  for (const text of [
    'STOP',
    'stop',
    ' Stop ',
    'STOPALL',
    'stop all',
    'UNSUBSCRIBE',
    'cancel',
    'End',
    'QUIT',
    'Stop.',
    'STOP!',
  ]) {
    assert.equal(smsKeyword(text), 'stop', text);
  }
});

test('opt-in keywords', () => {
  for (const text of ['START', 'start', 'UNSTOP', 'un stop', 'YES', 'yes'])
    assert.equal(smsKeyword(text), 'start', text);
});

test('help keywords', () => {
  for (const text of ['HELP', 'help', 'INFO', ' info\n']) assert.equal(smsKeyword(text), 'help', text);
});

test('only the whole message counts', () => {
  for (const text of [
    'please stop',
    'stop texting me',
    'yes please',
    'help me book',
    'STOP?',
    '',
    'stopp',
    'quitting',
  ]) {
    assert.equal(smsKeyword(text), null, text);
  }
});

test('keyword groups are complete', () => {
  assert.deepEqual([...SMS_KEYWORDS.stop].sort(), ['CANCEL', 'END', 'QUIT', 'STOP', 'STOPALL', 'UNSUBSCRIBE']);
  assert.deepEqual([...SMS_KEYWORDS.start].sort(), ['START', 'UNSTOP', 'YES']);
  assert.deepEqual([...SMS_KEYWORDS.help].sort(), ['HELP', 'INFO']);
});

test('confirmation and help texts name the business and the keywords', () => {
  const stop = keywordReply('stop', { businessName: 'Acme Dental' });
  assert.match(stop, /^Acme Dental: .*unsubscribed.*Reply START/);
  const start = keywordReply('start', { businessName: 'Acme Dental' });
  assert.match(start, /^Acme Dental: .*subscribed again.*STOP/);
  const help = keywordReply('help', { businessName: 'Acme Dental', helpContact: 'Call +1 555 0100' });
  assert.match(help, /Call \+1 555 0100\..*STOP.*START/);
  assert.match(keywordReply('help', { businessName: ' ' }), /^This service:/);
});
