/**
 * The console in Chromium: log in; open a contact who said "call me at+90" and see its
 * scheduled follow-up with what triggered it; see a new inbound message appear live; refuse
 * an invalid cadence in the Bot Goals editor with a field-level message; the same on a
 * phone-sized screen. Screenshots go to test-artifacts/.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkipReason, launchBrowser, screenshot } from '../helpers/browser.ts';
import { client, contactSaying, createOperator, startConsoleServer } from './helpers.ts';

const skip = browserSkipReason() ?? false;

async function logIn(page: Page, url: string, token: string) {
  await page.goto(`${url}/console`);
  await page.getByTestId('login-token').fill(token);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('live-status').and(page.locator('[data-state="live"]')).waitFor({ timeout: 10_000 });
}

describe('console in a browser', { skip }, () => {
  test(
    'log in, Response Info with trigger, live message, Bot Goals refusing 10 seconds',
    { timeout: 90_000 },
    async (t) => {
      const server = await startConsoleServer(t);
      const operator = await createOperator(server, 'Olga', [server.botId]);
      const ana = await contactSaying(
        server,
        { name: 'Ana Lima', phone: '+14155550123', email: 'ana@example.com' },
        'hi, do you have openings?',
        'call me at+90',
      );
      await contactSaying(server, { name: 'Ben Ode' }, 'busy in a meeting');
      const browser = await launchBrowser(t);
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));

      // A wrong token is refused on the login screen.
      await page.goto(`${server.url}/console`);
      await page.getByTestId('login-token').fill('nop_wrong');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('login-error').waitFor();
      assert.match(await page.getByTestId('login-error').innerText(), /not valid/);

      await logIn(page, server.url, operator.token);
      assert.equal(await page.getByTestId('who').innerText(), 'Olga');
      const row = page.locator(`[data-testid="contact-row"][data-contact-id="${ana}"]`);
      await row.waitFor();
      assert.equal(await page.getByTestId('contact-row').count(), 2);

      // Search narrows the list.
      await page.getByTestId('contact-search').fill('ana@');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="contact-row"]').length === 1);
      await row.click();

      // The Response Info panel: state, the scheduled follow-up and what triggered it.
      const panel = page.getByTestId('contact-panel');
      await panel.waitFor();
      assert.equal(await page.getByTestId('contact-state').getAttribute('data-state'), 'scheduled');
      const followUp = page.locator('[data-testid="followup-pending"][data-scenario="requestedTime"][data-step="1"]');
      await followUp.waitFor();
      const trigger = followUp.getByTestId('followup-trigger');
      assert.match(await trigger.innerText(), /call me at\+90/);
      assert.match(await followUp.getByTestId('followup-trigger-class').innerText(), /request_time/);
      assert.match(await followUp.getByTestId('followup-due-business').innerText(), /Mon 5 Jan 2026 10:30 UTC/);
      assert.match(await followUp.getByTestId('followup-due-contact').innerText(), /02:30/); // Los Angeles, from the phone number
      assert.match(await followUp.getByTestId('followup-channel').innerText(), /SMS|Live chat/);
      assert.equal(await page.getByTestId('viz-link').getAttribute('href'), `/viz#contact=${ana}`);
      await screenshot(page, 'console-response-info.png', { fullPage: true });

      // A new inbound message appears live, without a reload; the follow-up is reset.
      const messagesBefore = await page.getByTestId('message').count();
      const posted = await client(server.url).post(`/api/contacts/${ana}/messages/inbound`, {
        text: 'Actually, is 3pm today ok?',
      });
      assert.equal(posted.status, 201);
      await page
        .locator('[data-testid="message"][data-from="contact"]', { hasText: 'is 3pm today ok?' })
        .waitFor({ timeout: 10_000 });
      assert.equal(await page.getByTestId('message').count(), messagesBefore + 1);
      await page.getByTestId('contact-state').and(page.locator('[data-state="active"]')).waitFor();
      await page.getByTestId('no-pending').waitFor();
      await screenshot(page, 'console-live-message.png', { fullPage: true });

      // Operator takes over from the panel: the message lands and the banner shows.
      await page.getByTestId('composer-text').fill('Hi Ana, Olga here — 3pm works.');
      await page.getByTestId('send-as-operator').click();
      await page.locator('[data-testid="message"][data-from="operator"]', { hasText: '3pm works' }).waitFor();
      await page.getByTestId('banner-human').waitFor();

      // Bot Goals: 10 seconds is refused with a field-level message, as typed and on save.
      await page.getByTestId('nav-goals').click();
      const value = page.getByTestId('step-busy-0-value');
      await value.waitFor();
      assert.equal(await value.inputValue(), '2');
      await value.fill('10');
      await page.getByTestId('step-busy-0-unit').selectOption('seconds');
      const fieldError = page.locator('[data-testid="field-error"][data-path="scenarios.busy.cadence.0.delay"]');
      await fieldError.waitFor({ timeout: 10_000 });
      assert.match(await fieldError.innerText(), /10s is below the minimum of 1m/);
      await page.getByTestId('goals-save').click();
      await page.getByTestId('goals-status').and(page.locator('[data-state="invalid"]')).waitFor();
      assert.match(await page.getByTestId('goals-status').innerText(), /Not saved|problem/);
      await fieldError.waitFor();
      await screenshot(page, 'console-goals-refused.png', { fullPage: true });
      const stored = (await client(server.url).get(`/api/bots/${server.botId}`)).body.config.scenarios.busy.cadence[0]
        .delay;
      assert.equal(stored, '2h', 'the invalid value was not saved');

      // A valid but spammy value: accepted with a warning shown as you type, then saved.
      await value.fill('30');
      await page.getByTestId('step-busy-0-unit').selectOption('minutes');
      await page.getByTestId('step-busy-1-value').fill('20');
      await page.getByTestId('step-busy-1-unit').selectOption('minutes');
      await page.locator('[data-testid="field-warning"][data-path="scenarios.busy.cadence.1.delay"]').waitFor();
      assert.equal(await fieldError.count(), 0);
      // Custom message with a live preview of the placeholders.
      await page.getByTestId('step-busy-0-mode').selectOption('custom');
      await page.getByTestId('step-busy-0-text').fill('Hi {{first_name}}, {{business_name}} here!');
      assert.match(await page.getByTestId('step-busy-0-preview').innerText(), /Hi Alexandra, Test Salon here!/);
      await page.getByTestId('goals-save').click();
      await page.getByTestId('goals-status').and(page.locator('[data-state="saved"]')).waitFor();
      const saved = (await client(server.url).get(`/api/bots/${server.botId}`)).body.config.scenarios.busy;
      assert.deepEqual(
        saved.cadence.map((s: any) => s.delay),
        ['30m', '20m'],
      );
      assert.deepEqual(saved.cadence[0].message, {
        mode: 'custom',
        text: 'Hi {{first_name}}, {{business_name}} here!',
      });
      await screenshot(page, 'console-goals-saved.png', { fullPage: true });

      // A business with its own bot: the built-in answers off, inbound messages to its webhook.
      const webhook = page.getByTestId('goal-inbound-webhook');
      await webhook.fill('ftp://bots.example.com/in');
      const webhookError = page.locator('[data-testid="field-error"][data-path="inboundWebhookUrl"]');
      await webhookError.waitFor({ timeout: 10_000 });
      assert.match(await webhookError.innerText(), /http or https/);
      await webhook.fill('https://bots.example.com/nudge/inbound');
      await webhookError.waitFor({ state: 'detached' });
      assert.equal(await page.getByTestId('goal-responder').isChecked(), true);
      await page.getByTestId('goal-responder').uncheck();
      await page.getByTestId('goals-save').click();
      await page.getByTestId('goals-status').and(page.locator('[data-state="saved"]')).waitFor();
      const ownBot = (await client(server.url).get(`/api/bots/${server.botId}`)).body.config;
      assert.equal(ownBot.builtInResponder, false);
      assert.equal(ownBot.inboundWebhookUrl, 'https://bots.example.com/nudge/inbound');

      // Working hours week grid: switch from always-open to Mon–Fri, see the grid shaded.
      await page.getByTestId('wh-always-open').uncheck();
      await page.getByTestId('wh-mon-0-start').waitFor();
      assert.ok((await page.locator('[data-testid="wh-grid"] .cell.open').count()) > 0);
      await page.getByTestId('wh-mon-0-end').fill('08:00');
      await page.locator('[data-testid="field-error"][data-path="workingHours.mon.0.end"]').waitFor();

      // Forecast and metrics render for the bot (leaving the unsaved edit is confirmed first).
      const asked: string[] = [];
      page.once('dialog', (d) => {
        asked.push(d.message());
        void d.accept();
      });
      await page.getByTestId('nav-forecast').click();
      await page.getByTestId('forecast-summary').waitFor();
      assert.match(asked[0] ?? '', /unsaved Bot Goals changes/);
      await page.getByTestId('nav-metrics').click();
      await page.getByTestId('metric-armed').waitFor();
      await screenshot(page, 'console-metrics.png', { fullPage: true });
      assert.deepEqual(pageErrors, []);
    },
  );

  test('works on a phone-sized screen', { timeout: 60_000 }, async (t) => {
    const server = await startConsoleServer(t);
    const ana = await contactSaying(server, { name: 'Ana Lima', phone: '+14155550123' }, 'call me at+90');
    const browser = await launchBrowser(t);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await logIn(page, server.url, 'test-admin-token');
    await page.locator(`[data-testid="contact-row"][data-contact-id="${ana}"]`).click();
    await page.getByTestId('followup-trigger').waitFor();
    assert.ok(!(await page.getByTestId('contact-list').isVisible()), 'the list gives way to the panel');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
    await screenshot(page, 'console-phone-response-info.png', { fullPage: true });
    await page.getByTestId('panel-back').click();
    await page.getByTestId('contact-list').waitFor();
    await page.getByTestId('nav-goals').click();
    await page.getByTestId('step-busy-0-value').waitFor();
    const goalsOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(goalsOverflow <= 0, `Bot Goals fits (overflow ${goalsOverflow}px)`);
    await screenshot(page, 'console-phone-goals.png', { fullPage: true });
  });
});
