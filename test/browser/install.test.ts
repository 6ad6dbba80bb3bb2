/**
 * A business installs Nudge on its own site, as a person would: create a bot in the
 * console, copy its snippet into a page served from another origin (a second loopback
 * server), see the widget refuse that site and the console name it, allow it with one
 * click, then hold a conversation and receive the follow-up. Console at 1280×800, the shop
 * page on a 390×844 phone. Screenshots go to test-artifacts/.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import type { FakeClock } from '../../src/clock.ts';
import { browserSkipReason, launchBrowser, screenshot } from '../helpers/browser.ts';
import { makeServer } from '../helpers/server.ts';

/** A stand-in for the business's own website: one page with the pasted snippet, on its own port. */
async function shopSite(t: TestContext, snippet: () => string): Promise<string> {
  const server: Server = createServer((request, response) => {
    if (request.url !== '/') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Harbor Street Bikes</title><link rel="icon" href="data:,"></head>
<body style="font-family: Georgia, serif; margin: 24px"><h1>Harbor Street Bikes</h1><p>Repairs and rentals by the harbor.</p>
${snippet()}
</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test(
  'install: create a bot, paste its snippet on another site, allow the site, chat, receive a follow-up',
  { skip: browserSkipReason() ?? false, timeout: 120_000 },
  async (t) => {
    const server = await makeServer(t, { responder: true, stack: null });
    let snippet = '';
    const shop = await shopSite(t, () => snippet);
    const browser = await launchBrowser(t);
    const errors: string[] = [];

    // The console: log in, create the bot, land on its Install card.
    const consolePage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    consolePage.on('pageerror', (e) => errors.push(`console: ${e.message}`));
    await consolePage.goto(`${server.url}/console`);
    await consolePage.getByTestId('login-token').fill(server.adminToken);
    await consolePage.getByTestId('login-submit').click();
    // A server whose texts only go to the log says so on every screen.
    assert.match(await consolePage.getByTestId('channel-notice').innerText(), /^SMS is in log-only mode/);
    await consolePage.getByTestId('nav-settings').click();
    await consolePage.getByTestId('bot-name').fill('Harbor Street Rentals');
    await consolePage.getByTestId('bot-create').click();
    await consolePage.getByTestId('install-snippet-code').waitFor({ timeout: 10_000 });
    assert.equal(
      await consolePage.getByTestId('bot-select').locator('option:checked').innerText(),
      'Harbor Street Rentals',
    );
    await consolePage.getByTestId('origin-none').waitFor();
    snippet = await consolePage.getByTestId('install-snippet-code').innerText();
    assert.match(
      snippet,
      new RegExp(`^<script src="${server.url}/widget.js" data-bot-key="wk_[^"]+" data-title="Harbor Street Rentals"`),
    );
    await screenshot(consolePage, 'install-new-bot.png', { fullPage: true });

    // The snippet on the shop's own site, not yet allowed: the widget says so and stops.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    phone.on('pageerror', (e) => errors.push(`shop: ${e.message}`));
    await phone.goto(shop);
    await phone.getByTestId('nudge-bubble').click();
    const status = phone.getByTestId('nudge-status');
    await phone.waitForFunction(() => document.getElementById('nudge-widget')?.dataset.refused === 'origin', null, {
      timeout: 10_000,
    });
    assert.equal(await status.innerText(), 'This site is not allowed to use this chat.');
    assert.equal(await phone.getByTestId('nudge-input').isDisabled(), true);
    await screenshot(phone, 'install-refused-phone.png');

    // The console names the refused site and allows it in one click.
    const refused = consolePage.locator(`[data-testid="origin-refused"][data-origin="${shop}"]`);
    await refused.waitFor({ timeout: 10_000 });
    assert.match(await refused.innerText(), new RegExp(`Last connection refused from ${shop}`));
    await screenshot(consolePage, 'install-refused-console.png', { fullPage: true });
    await consolePage.getByTestId('origin-allow-refused').click();
    await consolePage.locator(`[data-testid="origin-item"][data-origin="${shop}"]`).waitFor();

    // The same card on a phone: nothing wider than the screen.
    const consolePhone = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await consolePhone.goto(`${server.url}/console#/install`);
    await consolePhone.getByTestId('login-token').fill(server.adminToken);
    await consolePhone.getByTestId('login-submit').click();
    await consolePhone.getByTestId('bot-select').selectOption({ label: 'Harbor Street Rentals' });
    await consolePhone.locator(`[data-testid="origin-item"][data-origin="${shop}"]`).waitFor();
    assert.ok(
      (await consolePhone.evaluate(() => document.documentElement.scrollWidth)) <= 390,
      'the Install card fits a 390 px phone',
    );
    await screenshot(consolePhone, 'install-console-phone.png', { fullPage: true });
    await consolePhone.close();

    // A wrong address gets an operator's explanation beside the field.
    await consolePage.getByTestId('origin-input').fill('harbor-bikes.example/contact');
    await consolePage.getByTestId('origin-add').click();
    await consolePage.getByTestId('origin-error').waitFor();
    assert.match(await consolePage.getByTestId('origin-error').innerText(), /not a website address/);

    // Now the chat works on the shop's site: a conversation, then the follow-up.
    await phone.reload();
    await phone.getByTestId('nudge-bubble').click();
    await phone.waitForFunction(() => document.getElementById('nudge-widget')?.dataset.connection === 'online', null, {
      timeout: 10_000,
    });
    await phone.getByTestId('nudge-input').fill("I'm driving right now, text me later");
    await phone.getByTestId('nudge-send').click();
    await phone.locator('[data-testid="nudge-message"][data-from="bot"]').first().waitFor({ timeout: 15_000 });
    const contacts = server.services.db
      .prepare('SELECT c.state FROM contacts c JOIN bots b ON b.id = c.bot_id WHERE b.name = ?')
      .all('Harbor Street Rentals') as { state: string }[];
    assert.deepEqual(
      contacts.map((c) => c.state),
      ['busy'],
    );

    (server.services.clock as FakeClock).advance(2 * 3600_000 + 1000);
    const followUp = phone.locator('[data-testid="nudge-message"][data-from="bot"][data-followup="busy:1"]');
    await followUp.waitFor({ timeout: 15_000 });
    assert.ok((await followUp.innerText()).length > 10);
    await screenshot(phone, 'install-follow-up-phone.png');

    // A requested time with no number known: the bot says it will write here, asks for a
    // number, and the "Text me" form opens again although the visitor said "No thanks".
    const form = phone.getByTestId('nudge-contact-form');
    if (await form.isVisible()) await phone.getByTestId('nudge-contact-skip').click();
    await form.waitFor({ state: 'hidden' });
    const botCount = await phone.locator('[data-testid="nudge-message"][data-from="bot"]').count();
    await phone.getByTestId('nudge-input').fill('Can you call me tomorrow at 3pm?');
    await phone.getByTestId('nudge-send').click();
    const confirmation = phone.locator('[data-testid="nudge-message"][data-from="bot"]').nth(botCount);
    await confirmation.waitFor({ timeout: 15_000 });
    assert.match(await confirmation.innerText(), /I'll message you here .*3:00 PM\. Would you like a text instead\?/);
    await form.waitFor({ state: 'visible' });
    await screenshot(phone, 'install-asks-phone.png');
    assert.deepEqual(errors, []);
  },
);
