/**
 * Operator safety in Chromium: cancelling a follow-up can be undone for a few seconds (the
 * follow-up is still pending on the server afterwards); a cancel left alone lands, the state
 * badge then says nothing is pending, and the history dates the cancel when it happened,
 * not at the follow-up's due time. The same screen on a 390 px phone does not scroll sideways.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkipReason, launchBrowser, screenshot } from '../helpers/browser.ts';
import { client, contactSaying, startConsoleServer } from '../console/helpers.ts';

async function openContact(page: Page, url: string, contactId: string) {
  await page.goto(`${url}/console#/contacts/${contactId}`);
  await page.getByTestId('login-token').fill('test-admin-token');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('contact-panel').waitFor();
}

test(
  'undo restores a cancelled follow-up; a cancel that lands updates the badge and the history',
  { skip: browserSkipReason() ?? false, timeout: 90_000 },
  async (t) => {
    const server = await startConsoleServer(t);
    const ana = await contactSaying(server, { name: 'Ana Lima', timezone: 'America/Los_Angeles' }, 'call me at+90');
    const pending = async () =>
      (await client(server.url).get(`/api/contacts/${ana}`)).body.pendingFollowUps.length as number;
    assert.equal(await pending(), 1);
    const browser = await launchBrowser(t);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openContact(page, server.url, ana);
    const card = page.getByTestId('followup-pending');
    await card.waitFor();

    // Cancel, then Undo: the card comes back and the server never cancelled anything.
    await card.getByTestId('followup-cancel').click();
    await card.waitFor({ state: 'detached' });
    await page.getByTestId('undo-toast').waitFor();
    await screenshot(page, 'undo-toast.png');
    await page.getByTestId('undo').click();
    await card.waitFor();
    await page.waitForTimeout(7000); // past the undo window
    assert.equal(await pending(), 1, 'an undone cancel is never sent');
    await card.waitFor();

    // Cancel and let it land.
    await card.getByTestId('followup-cancel').click();
    await page.getByTestId('undo-toast').waitFor({ state: 'detached', timeout: 10_000 });
    await page.getByTestId('no-pending').waitFor();
    assert.equal(await pending(), 0);
    const badge = page.getByTestId('contact-state');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="contact-state"]')?.getAttribute('data-pending') === '0',
    );
    assert.equal(await badge.innerText(), 'scheduled · nothing pending');
    const history = page.locator('[data-testid="history-item"][data-status="cancelled"]');
    await history.waitFor();
    // Cancelled at the fake clock's now (09:00), not at the follow-up's due time (10:30).
    // (The contact's wall clock beside it: 01:00 in Los Angeles.)
    assert.match(
      await history.getByTestId('history-when').innerText(),
      /Mon 5 Jan 2026 09:00 UTC \(contact: 01:00 PST\)/,
    );
    assert.match(await history.innerText(), /was due Mon 5 Jan 2026 10:30 UTC/);
    await screenshot(page, 'cancel-landed.png', { fullPage: true });

    // The same panel on a phone: nothing wider than the screen.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await openContact(phone, server.url, ana);
    await phone.locator('[data-testid="history-item"]').first().waitFor();
    assert.ok(
      (await phone.evaluate(() => document.documentElement.scrollWidth)) <= 390,
      'no horizontal scroll at 390 px',
    );
    await screenshot(phone, 'cancel-landed-phone.png', { fullPage: true });
    assert.deepEqual(errors, []);
  },
);

test(
  'leaving unsaved Bot Goals asks first; staying keeps the edit',
  { skip: browserSkipReason() ?? false, timeout: 60_000 },
  async (t) => {
    const server = await startConsoleServer(t);
    const browser = await launchBrowser(t);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/console#/goals`);
    await page.getByTestId('login-token').fill('test-admin-token');
    await page.getByTestId('login-submit').click();
    const cap = page.getByTestId('goal-cap');
    await cap.waitFor();
    await cap.fill('5');
    await page.getByTestId('goals-status').and(page.locator('[data-state="dirty"]')).waitFor();

    const dialogs: string[] = [];
    page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.getByTestId('nav-contacts').click();
    await page.waitForTimeout(300);
    assert.match(dialogs[0] ?? '', /unsaved Bot Goals changes/);
    assert.equal(await cap.inputValue(), '5', 'the edit is still there');
    assert.match(page.url(), /#\/goals$/);

    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contact-list').waitFor();
    assert.equal(
      JSON.parse((await client(server.url).get(`/api/bots/${server.botId}`)).text).config.followUpCapPer24h,
      3,
      'nothing was saved',
    );
  },
);
