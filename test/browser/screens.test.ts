/**
 * Every screen a person sees, at rest, on a 1280×800 desktop and a 390×844 phone: the widget
 * (with a conversation), the console's contacts list, a contact's panel and the Install
 * card, and the visualizer. Screenshots are taken once animations have finished (the widget
 * header was caught mid-fade), land in test-artifacts/screen-*.png, and were looked at. No
 * screen may scroll sideways. A visitor who asked for reduced motion gets no animation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchBrowser, runningAnimations, screenshot } from '../helpers/browser.ts';
import { api, makeServer } from '../helpers/server.ts';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800, mobile: false },
  { name: 'phone', width: 390, height: 844, mobile: true },
] as const;
type Viewport = (typeof VIEWPORTS)[number];

function open(browser: Browser, viewport: Viewport, reducedMotion: 'reduce' | 'no-preference' = 'no-preference') {
  return browser.newPage({
    viewport: { width: viewport.width, height: viewport.height },
    isMobile: viewport.mobile,
    hasTouch: viewport.mobile,
    reducedMotion,
  });
}

async function sideways(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test(
  'every screen at rest on desktop and phone: widget, contacts, panel, install, visualizer',
  { skip: browserSkipReason() ?? false, timeout: 180_000 },
  async (t) => {
    const server = await makeServer(t, { responder: true, stack: null });
    const http = api(server);
    const ana = (
      await http.post(`/api/bots/${server.demoBotId}/contacts`, { name: 'Ana Lima', timezone: 'Europe/Lisbon' })
    ).body.id as string;
    await http.post(`/api/contacts/${ana}/messages/inbound`, { text: 'Hi, do you service e-bikes?' });
    await http.post(`/api/contacts/${ana}/messages/outbound`, { text: 'We do! What model is it?' });
    await http.post(`/api/contacts/${ana}/messages/inbound`, { text: 'Can you call me tomorrow at 3pm?' });
    const anonymous = (await http.post(`/api/bots/${server.demoBotId}/contacts`, {})).body.id as string;
    await http.post(`/api/contacts/${anonymous}/messages/inbound`, { text: "I'm driving right now" });

    const browser = await launchBrowser(t);
    const errors: string[] = [];
    const problems: string[] = [];

    for (const viewport of VIEWPORTS) {
      const tag = `${viewport.name} ${viewport.width}px`;
      // The widget, as a visitor sees it on the demo page, with a conversation.
      const visitor = await open(browser, viewport);
      visitor.on('pageerror', (e) => errors.push(`widget ${tag}: ${e.message}`));
      await visitor.goto(`${server.url}/`);
      await visitor.getByTestId('nudge-bubble').click();
      await visitor.getByTestId('nudge-input').fill('Do you rent bikes for a weekend?');
      await visitor.getByTestId('nudge-send').click();
      await visitor.locator('[data-testid="nudge-message"][data-from="bot"]').first().waitFor({ timeout: 15_000 });
      await screenshot(visitor, `screen-widget-${viewport.name}.png`);
      assert.deepEqual(await runningAnimations(visitor), [], `${tag}: the widget is still animating`);
      if ((await sideways(visitor)) > 0) problems.push(`widget ${tag} scrolls sideways`);
      await visitor.close();

      // The console: contacts list, a contact's panel, the Install card.
      const page = await open(browser, viewport);
      page.on('pageerror', (e) => errors.push(`console ${tag}: ${e.message}`));
      await page.goto(`${server.url}/console`);
      await page.getByTestId('login-token').fill(server.adminToken);
      await page.getByTestId('login-submit').click();
      await page.locator(`[data-testid="contact-row"][data-contact-id="${ana}"]`).waitFor();
      await page.locator(`[data-testid="contact-row"][data-contact-id="${anonymous}"]`).waitFor();
      await screenshot(page, `screen-contacts-${viewport.name}.png`, { fullPage: true });
      if ((await sideways(page)) > 0) problems.push(`contacts ${tag} scroll sideways`);
      await page.locator(`[data-testid="contact-row"][data-contact-id="${ana}"]`).click();
      await page.getByTestId('contact-panel').waitFor();
      await page.getByTestId('followup-pending').waitFor();
      assert.match(
        await page.getByTestId('contact-language').innerText(),
        /^English — built-in follow-ups are written in it/,
        'the panel names the language the follow-ups go out in',
      );
      await screenshot(page, `screen-panel-${viewport.name}.png`, { fullPage: true });
      if ((await sideways(page)) > 0) problems.push(`panel ${tag} scrolls sideways`);
      await page.getByTestId('nav-install').click();
      await page.getByTestId('install-snippet-code').waitFor();
      await screenshot(page, `screen-install-${viewport.name}.png`, { fullPage: true });
      if ((await sideways(page)) > 0) problems.push(`install ${tag} scrolls sideways`);

      // The visualizer on Ana's machine.
      await page.goto(`${server.url}/viz#token=${encodeURIComponent(server.adminToken)}&contact=${ana}`);
      await page.getByTestId('state-scheduled').and(page.locator('[data-highlight="true"]')).waitFor();
      await page.getByTestId('timer-scheduled').waitFor();
      await screenshot(page, `screen-viz-${viewport.name}.png`, { fullPage: true });
      if ((await sideways(page)) > 0) problems.push(`visualizer ${tag} scrolls sideways`);
      await page.close();
    }

    // Reduced motion: the widget opens without its fade.
    const calm = await open(browser, VIEWPORTS[1], 'reduce');
    await calm.goto(`${server.url}/`);
    await calm.getByTestId('nudge-bubble').click();
    await calm.getByTestId('nudge-input').waitFor();
    assert.deepEqual(await runningAnimations(calm), [], 'prefers-reduced-motion: no animation');
    await calm.close();

    assert.deepEqual(problems, []);
    assert.deepEqual(errors, []);
  },
);
