/**
 * An admin whose service has no bot yet gets the "create a bot" form on the "No bots yet"
 * screen (the same one Settings has), and lands on the new bot's Install card with its
 * widget key. The service always has its demo bot, so the console is shown an answer to
 * /api/me without it, as a fresh install with the demo bot removed would answer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSkipReason, launchBrowser, screenshot } from '../helpers/browser.ts';
import { api, makeServer } from '../helpers/server.ts';

test(
  'an admin with no bots creates one from the "No bots yet" screen and sees its install card',
  { skip: browserSkipReason() ?? false, timeout: 90_000 },
  async (t) => {
    const server = await makeServer(t);
    const browser = await launchBrowser(t);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    let hidden = 0;
    await page.route('**/api/me', async (route) => {
      const response = await route.fetch();
      const me = await response.json();
      hidden += me.bots.length;
      await route.fulfill({ response, json: { ...me, bots: [] } });
    });

    await page.goto(`${server.url}/console`);
    await page.getByTestId('login-token').fill(server.adminToken);
    await page.getByTestId('login-submit').click();
    const screen = page.getByTestId('no-bots');
    await screen.waitFor();
    assert.ok(hidden > 0, 'the demo bot was hidden from the console');
    assert.doesNotMatch(await screen.innerText(), /POST \/api\/bots/, 'no API instructions for a person');

    // An empty name is refused by the form itself; a real one creates the bot.
    await page.getByTestId('bot-create').click();
    assert.equal(await page.getByTestId('bot-name').evaluate((el) => (el as HTMLInputElement).validity.valid), false);
    await page.getByTestId('bot-name').fill('Lisbon Tile Studio');
    await screenshot(page, 'no-bots.png');
    await page.getByTestId('bot-create').click();

    const key = page.getByTestId('install-key');
    await key.waitFor({ timeout: 10_000 });
    assert.match(page.url(), /#\/install$/);
    assert.equal(await page.getByTestId('bot-select').locator('option:checked').innerText(), 'Lisbon Tile Studio');
    const bots = (await api(server).get('/api/bots')).body.bots as { id: string; name: string; widgetKey?: string }[];
    const created = bots.find((b) => b.name === 'Lisbon Tile Studio');
    assert.ok(created, 'the bot exists on the server');
    const shownKey = (await key.innerText()).trim();
    assert.match(shownKey, /^wk_/);
    assert.match(await page.getByTestId('install-snippet-code').innerText(), new RegExp(`data-bot-key="${shownKey}"`));
    await screenshot(page, 'no-bots-created.png', { fullPage: true });
    assert.deepEqual(errors, []);
  },
);
