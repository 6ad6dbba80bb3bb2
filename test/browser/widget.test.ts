/**
 * What a visitor sees: the demo page, the widget, a busy message answered by the bot,
 * and the conversation still there after a reload.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSkipReason, launchBrowser, screenshot } from '../helpers/browser.ts';
import { makeServer } from '../helpers/server.ts';

test(
  'demo page: open the widget, send a busy message, see the reply, reload and see it again',
  { skip: browserSkipReason() ?? false, timeout: 60_000 },
  async (t) => {
    const server = await makeServer(t, { responder: true, stack: null });
    const browser = await launchBrowser(t);
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    await page.goto(`${server.url}/`);
    await page.getByTestId('nudge-bubble').click();
    const input = page.getByTestId('nudge-input');
    await input.fill("I'm driving, text me later");
    await page.getByTestId('nudge-send').click();
    const botReply = page.locator('[data-testid="nudge-message"][data-from="bot"]').first();
    await botReply.waitFor({ timeout: 15_000 });
    const replyText = await botReply.innerText();
    assert.ok(replyText.length > 5, `bot reply: ${replyText}`);
    await screenshot(page, 'widget-conversation.png');

    await page.reload();
    await page.getByTestId('nudge-bubble').click();
    const contactMessage = page.locator('[data-testid="nudge-message"][data-from="contact"]').first();
    await contactMessage.waitFor({ timeout: 15_000 });
    assert.match(await contactMessage.innerText(), /driving/);
    await page.locator('[data-testid="nudge-message"][data-from="bot"]').first().waitFor();
    await screenshot(page, 'widget-after-reload.png');

    // The contact is busy (the bot's acknowledgement keeps the busy follow-up armed).
    const contacts = server.services.db.prepare('SELECT state FROM contacts').all() as { state: string }[];
    assert.deepEqual(
      contacts.map((c) => c.state),
      ['busy'],
    );
  },
);
