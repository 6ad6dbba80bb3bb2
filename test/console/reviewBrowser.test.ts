/**
 * Doubt in the console, in Chromium: a contact whose message was held is marked in the list;
 * its panel shows the message and the top two readings as buttons; one click decides it. A
 * held time is decided through the time field, prefilled with the time the classifier read.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkipReason, launchBrowser, screenshot } from '../helpers/browser.ts';
import { doubtClassify } from '../helpers/doubt.ts';
import { client, contactSaying, createOperator, startConsoleServer } from './helpers.ts';

const skip = browserSkipReason() ?? false;

async function logIn(page: Page, url: string, token: string) {
  await page.goto(`${url}/console`);
  await page.getByTestId('login-token').fill(token);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('live-status').and(page.locator('[data-state="live"]')).waitFor({ timeout: 10_000 });
}

describe('doubt in the console', { skip }, () => {
  test('a held message is marked, shown with its readings and decided in one click', { timeout: 90_000 }, async (t) => {
    const server = await startConsoleServer(t, { classify: doubtClassify });
    const operator = await createOperator(server, 'Olga', [server.botId]);
    const held = await contactSaying(server, { name: 'Ana Lima' }, 'hi there', 'unsure: meh, not for me, quit pinging');
    const calm = await contactSaying(server, { name: 'Ben Ode' }, 'busy in a meeting');
    const timed = await contactSaying(server, { name: 'Cy Roe' }, 'unsure time: maybe tmrw ish?');
    const browser = await launchBrowser(t);
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await logIn(page, server.url, operator.token);

    const row = (id: string) => page.locator(`[data-testid="contact-row"][data-contact-id="${id}"]`);
    await row(held).waitFor();
    assert.equal(await row(held).getByTestId('review-marker').count(), 1, 'the held contact is marked');
    assert.equal(await row(calm).getByTestId('review-marker').count(), 0, 'a confident one is not');

    // The state filter narrows the list to the held contacts.
    await page.getByTestId('contact-state-filter').selectOption('needs-review');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="contact-row"]').length === 2);
    assert.equal(await row(calm).count(), 0);
    await row(held).click();
    const card = page.getByTestId('review-card');
    await card.waitFor();
    assert.match(await page.getByTestId('review-text').innerText(), /meh, not for me, quit pinging/);
    assert.match(await page.getByTestId('review-choose-engaged').innerText(), /41 %/);
    assert.match(await page.getByTestId('review-choose-not_interested').innerText(), /38 %/);
    await screenshot(page, 'console-needs-review.png', { fullPage: true });
    await page.getByTestId('review-choose-not_interested').click();
    await page.locator('[data-testid="contact-state"][data-state="stopped"]').waitFor();
    await card.waitFor({ state: 'detached' });
    await page.waitForFunction(
      (id) => !document.querySelector(`[data-contact-id="${id}"] [data-testid="review-marker"]`),
      held,
    );
    const http = client(server.url);
    const detail = (await http.get(`/api/contacts/${held}`)).body;
    assert.equal(detail.state, 'stopped');
    assert.equal(detail.contact.needsReview, false);

    // A held time: the field is prefilled with the classifier's reading (26 h after 09:00 UTC Monday).
    await row(timed).click();
    await page.getByTestId('review-card').waitFor();
    await page.getByTestId('review-choose-request_time').click();
    const time = page.getByTestId('review-time');
    await time.waitFor();
    assert.equal(await time.inputValue(), '2026-01-06T11:00');
    await time.fill('2026-01-06T15:30');
    await page.getByTestId('review-time-confirm').click();
    await page.locator('[data-testid="contact-state"][data-state="scheduled"]').waitFor();
    const scheduled = (await http.get(`/api/contacts/${timed}`)).body;
    assert.equal(scheduled.pendingFollowUps[0].dueAt, '2026-01-06T15:30:00.000Z');
    assert.deepEqual(pageErrors, []);
  });

  test(
    'Bot Goals sets the doubt settings and refuses a threshold above 1 next to the field',
    { timeout: 90_000 },
    async (t) => {
      const server = await startConsoleServer(t, { classify: doubtClassify });
      const operator = await createOperator(server, 'Olga', [server.botId]);
      const browser = await launchBrowser(t);
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      await logIn(page, server.url, operator.token);
      await page.goto(`${server.url}/console#/goals`);
      const hold = page.getByTestId('goal-hold-doubt');
      await hold.waitFor();
      assert.equal(await hold.isChecked(), true, 'hold is the default');
      const threshold = page.getByTestId('goal-uncertain');
      await threshold.fill('1.5');
      const error = page.locator('[data-testid="field-error"][data-path="uncertainThreshold"]');
      await error.waitFor();
      assert.match(await error.innerText(), /between 0 and 1/);
      await threshold.fill('0.7');
      await error.waitFor({ state: 'detached' });
      await hold.uncheck();
      await page.getByTestId('goals-save').click();
      await page.locator('[data-testid="goals-status"][data-state="saved"]').waitFor();
      const config = (await client(server.url).get(`/api/bots/${server.botId}`)).body.config;
      assert.equal(config.uncertainThreshold, 0.7);
      assert.equal(config.onDoubt, 'treatAsEngaged');
    },
  );
});
