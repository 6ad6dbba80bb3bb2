/**
 * Contacts people can recognise, in Chromium on a 390×844 phone and at 1280×800: a visitor
 * who left no name is "Visitor N · Lisbon" with its last message as a preview, in the list
 * and the panel header; a long unbroken address wraps instead of widening the page.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSkipReason, launchBrowser, screenshot } from '../helpers/browser.ts';
import { contactSaying, startConsoleServer } from '../console/helpers.ts';

test(
  'anonymous contacts read "Visitor N · place" with a preview; nothing overflows at 390 px',
  { skip: browserSkipReason() ?? false, timeout: 90_000 },
  async (t) => {
    const server = await startConsoleServer(t);
    const visitor = await contactSaying(server, { timezone: 'Europe/Lisbon' }, 'do you fix e-bikes on weekends?');
    await contactSaying(server, { email: `a.very.long.unbroken.address.${'x'.repeat(60)}@example.com` }, 'hello there');
    const browser = await launchBrowser(t);
    for (const viewport of [
      { width: 1280, height: 800, name: 'desktop' },
      { width: 390, height: 844, name: 'phone' },
    ]) {
      const page = await browser.newPage({ viewport, isMobile: viewport.width < 500, hasTouch: viewport.width < 500 });
      await page.goto(`${server.url}/console`);
      await page.getByTestId('login-token').fill('test-admin-token');
      await page.getByTestId('login-submit').click();
      const row = page.locator(`[data-testid="contact-row"][data-contact-id="${visitor}"]`);
      await row.waitFor();
      assert.match(await row.locator('.name').innerText(), /^Visitor \d+ · Lisbon$/);
      assert.equal(await row.getByTestId('contact-preview').innerText(), 'do you fix e-bikes on weekends?');
      assert.ok(
        (await page.evaluate(() => document.documentElement.scrollWidth)) <= viewport.width,
        `${viewport.name}: list fits`,
      );
      await screenshot(page, `contacts-list-${viewport.name}.png`, { fullPage: true });
      const long = page.locator('[data-testid="contact-row"]', { hasText: 'a.very.long' });
      await long.click();
      await page.getByTestId('contact-name').waitFor();
      assert.ok(
        (await page.evaluate(() => document.documentElement.scrollWidth)) <= viewport.width,
        `${viewport.name}: panel fits`,
      );
      await screenshot(page, `contacts-long-${viewport.name}.png`, { fullPage: true });
      await page.goto(`${server.url}/console#/contacts/${visitor}`);
      await page.getByTestId('contact-name').waitFor();
      assert.match(await page.getByTestId('contact-name').innerText(), /^Visitor \d+ · Lisbon$/);
      await page.close();
    }
  },
);

test(
  'polish: placeholders while loading, secrets masked with reveal, no 404 for a favicon',
  { skip: browserSkipReason() ?? false, timeout: 60_000 },
  async (t) => {
    const server = await startConsoleServer(t);
    await contactSaying(server, { name: 'Ana' }, 'hello');
    const browser = await launchBrowser(t);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const missing: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 404) missing.push(r.url());
    });
    // Hold the first contact search so the loading state can be seen.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/contacts/search*', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${server.url}/console`);
    await page.getByTestId('login-token').fill('test-admin-token');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('contact-loading').first().waitFor();
    await screenshot(page, 'console-loading.png');
    release();
    await page.getByTestId('contact-row').waitFor();
    assert.equal(await page.getByTestId('contact-loading').count(), 0);

    await page.getByTestId('nav-settings').click();
    const secret = page.getByTestId('calendar-secret');
    await secret.waitFor();
    assert.match(await secret.innerText(), /^•+$/, 'masked by default');
    await page.getByTestId('calendar-secret-reveal').click();
    assert.doesNotMatch(await secret.innerText(), /•/);
    await screenshot(page, 'console-settings-secrets.png');
    assert.deepEqual(missing, [], 'no request answered 404 (favicon included)');
  },
);
