import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type ChannelChoiceInput,
  META_WINDOW_MS,
  chooseChannel,
  formatAge,
  maskPhone,
  metaWindowOpen,
} from '../../src/channels/switching.ts';

const NOW = Date.UTC(2026, 0, 5, 15, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

function input(over: Partial<ChannelChoiceInput> = {}): ChannelChoiceInput {
  return {
    switchingEnabled: true,
    lastChannel: 'livechat',
    phone: '+14155550123',
    widgetConnected: false,
    lastLiveChatFollowUpUnanswered: false,
    lastInboundAt: {},
    now: NOW,
    smsOptedOut: false,
    ...over,
  };
}

describe('chooseChannel: live chat', () => {
  test('widget closed and phone known → SMS, with a readable reason', () => {
    const c = chooseChannel(input());
    assert.deepEqual(c, {
      channel: 'sms',
      switched: true,
      code: 'switched_widget_closed',
      reason: 'widget closed; switched to SMS (+1…0123)',
    });
  });

  test('widget connected → stays on live chat', () => {
    const c = chooseChannel(input({ widgetConnected: true }));
    assert.equal(c.channel, 'livechat');
    assert.equal(c.switched, false);
    assert.equal(c.code, 'widget_open');
    assert.match(c.reason, /widget open/);
  });

  test('widget connected but the last live-chat follow-up went unanswered → SMS', () => {
    const c = chooseChannel(input({ widgetConnected: true, lastLiveChatFollowUpUnanswered: true }));
    assert.equal(c.channel, 'sms');
    assert.equal(c.code, 'switched_livechat_unanswered');
    assert.match(c.reason, /^no reply to the last live-chat follow-up; switched to SMS/);
  });

  test('no phone → stays and says why', () => {
    for (const phone of [null, '', '   ']) {
      const c = chooseChannel(input({ phone }));
      assert.equal(c.channel, 'livechat');
      assert.equal(c.switched, false);
      assert.equal(c.code, 'stay_no_phone');
      assert.equal(c.reason, 'widget closed but no phone number is known; staying on live chat');
    }
  });

  test('opted out of SMS → stays and says why', () => {
    const c = chooseChannel(input({ smsOptedOut: true }));
    assert.equal(c.channel, 'livechat');
    assert.equal(c.code, 'stay_sms_opted_out');
    assert.match(c.reason, /opted out of SMS/);
  });

  test('toggle off → stays even with the widget closed and a phone known', () => {
    const c = chooseChannel(input({ switchingEnabled: false }));
    assert.deepEqual(c, {
      channel: 'livechat',
      switched: false,
      code: 'switching_off',
      reason: 'channel switching is off; staying on live chat',
    });
  });
});

describe('chooseChannel: Meta channels and the 24-hour window', () => {
  for (const channel of ['facebook', 'instagram', 'whatsapp'] as const) {
    test(`${channel}: last inbound 23 h 59 m ago → stays`, () => {
      const c = chooseChannel(
        input({ lastChannel: channel, lastInboundAt: { [channel]: NOW - (23 * HOUR + 59 * MIN) } }),
      );
      assert.equal(c.channel, channel);
      assert.equal(c.switched, false);
      assert.equal(c.code, 'meta_window_open');
      assert.match(c.reason, /23 h 59 min ago, inside the 24-hour window/);
    });

    test(`${channel}: last inbound 24 h 01 m ago → SMS`, () => {
      const c = chooseChannel(input({ lastChannel: channel, lastInboundAt: { [channel]: NOW - (24 * HOUR + MIN) } }));
      assert.equal(c.channel, 'sms');
      assert.equal(c.switched, true);
      assert.equal(c.code, 'switched_meta_window_closed');
      assert.match(c.reason, /24 h 1 min ago \(24-hour window closed\); switched to SMS \(\+1…0123\)$/);
    });

    test(`${channel}: window closed, no phone → stays and says why`, () => {
      const c = chooseChannel(
        input({ lastChannel: channel, phone: null, lastInboundAt: { [channel]: NOW - 30 * HOUR } }),
      );
      assert.equal(c.channel, channel);
      assert.equal(c.code, 'stay_no_phone');
      assert.match(c.reason, /window closed\) but no phone number is known; staying on/);
    });

    test(`${channel}: toggle off → stays even with the window closed`, () => {
      const c = chooseChannel(
        input({ lastChannel: channel, switchingEnabled: false, lastInboundAt: { [channel]: NOW - 30 * HOUR } }),
      );
      assert.equal(c.channel, channel);
      assert.equal(c.code, 'switching_off');
    });
  }

  test('the window is per channel: an inbound on another channel does not keep it open', () => {
    const c = chooseChannel(
      input({ lastChannel: 'facebook', lastInboundAt: { whatsapp: NOW - HOUR, facebook: NOW - 25 * HOUR } }),
    );
    assert.equal(c.channel, 'sms');
  });

  test('no inbound on record for the Meta channel counts as a closed window', () => {
    const c = chooseChannel(input({ lastChannel: 'instagram', lastInboundAt: {} }));
    assert.equal(c.channel, 'sms');
    assert.match(c.reason, /^no inbound Instagram message on record/);
  });

  test('the widget state is irrelevant on Meta channels', () => {
    const open = chooseChannel(
      input({ lastChannel: 'whatsapp', widgetConnected: true, lastInboundAt: { whatsapp: NOW - HOUR } }),
    );
    const closed = chooseChannel(
      input({ lastChannel: 'whatsapp', widgetConnected: false, lastInboundAt: { whatsapp: NOW - HOUR } }),
    );
    assert.equal(open.channel, 'whatsapp');
    assert.equal(closed.channel, 'whatsapp');
  });
});

describe('chooseChannel: SMS stays SMS', () => {
  test('last channel SMS → stays (even when opted out: the send-time check skips it)', () => {
    assert.equal(chooseChannel(input({ lastChannel: 'sms' })).channel, 'sms');
    assert.equal(chooseChannel(input({ lastChannel: 'sms', smsOptedOut: true })).channel, 'sms');
    assert.equal(chooseChannel(input({ lastChannel: 'sms' })).switched, false);
  });
});

describe('metaWindowOpen', () => {
  test('boundaries', () => {
    assert.equal(metaWindowOpen(NOW - (23 * HOUR + 59 * MIN), NOW), true);
    assert.equal(metaWindowOpen(NOW - META_WINDOW_MS, NOW), true, 'exactly 24 h is not "more than 24 h"');
    assert.equal(metaWindowOpen(NOW - META_WINDOW_MS - 1, NOW), false);
    assert.equal(metaWindowOpen(NOW - (24 * HOUR + MIN), NOW), false);
    assert.equal(metaWindowOpen(undefined, NOW), false);
    assert.equal(metaWindowOpen(null, NOW), false);
  });
});

describe('formatting helpers', () => {
  test('maskPhone keeps the country code and the last four digits', () => {
    assert.equal(maskPhone('+14155550123'), '+1…0123');
    assert.equal(maskPhone('+447700900123'), '+44…0123');
    assert.equal(maskPhone('+353861234567'), '+353…4567');
  });
  test('formatAge', () => {
    assert.equal(formatAge(5 * MIN), '5 min');
    assert.equal(formatAge(3 * HOUR), '3 h');
    assert.equal(formatAge(3 * HOUR + 20 * MIN), '3 h 20 min');
    assert.equal(formatAge(50 * HOUR), '2 days 2 h');
  });
});
