/**
 * Every built-in follow-up text, as Bot Goals shows it for a visitor who left no name, reads
 * well in Chromium: 3 scenarios × 3 step buckets × 3 variants, each free of raw
 * placeholders, dangling punctuation and lowercase sentence starts. A custom text's preview
 * shows its nameless version too. Desktop and phone.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSkipReason, launchBrowser, screenshot } from '../helpers/browser.ts';
import { TEMPLATE_LANGUAGES, templatesFor } from '../../src/classify/templates.ts';
import { wordingProblems } from '../helpers/wording.ts';
import { startConsoleServer } from '../console/helpers.ts';

test(
  'Bot Goals shows every built-in text for a nameless visitor, and each reads well',
  { skip: browserSkipReason() ?? false, timeout: 60_000 },
  async (t) => {
    const server = await startConsoleServer(t);
    const browser = await launchBrowser(t);
    for (const viewport of [
      { width: 1280, height: 800, name: 'desktop' },
      { width: 390, height: 844, name: 'phone' },
    ]) {
      const page = await browser.newPage({ viewport });
      await page.goto(`${server.url}/console#/goals`);
      await page.getByTestId('login-token').fill('test-admin-token');
      await page.getByTestId('login-submit').click();
      for (const scenario of ['stoppedReplying', 'busy', 'requestedTime']) {
        await page.getByTestId(`${scenario}-builtin`).locator('summary').click();
      }
      const texts = await page.getByTestId('builtin-text').allInnerTexts();
      assert.equal(texts.length, 27, 'every template of every scenario and step bucket');
      const bad = texts.flatMap((text) =>
        wordingProblems(text).map((problem) => `${problem}: ${JSON.stringify(text)}`),
      );
      assert.deepEqual(bad, []);
      assert.ok(texts.every((text) => !/Alexandra|\{\{/.test(text)));
      if (viewport.name === 'desktop') {
        // The same texts in every language a contact may write in.
        const busy = page.getByTestId('busy-builtin');
        for (const language of TEMPLATE_LANGUAGES.filter((l) => l !== 'en')) {
          await busy.getByTestId('busy-builtin-language').selectOption(language);
          const shown = busy.getByTestId('builtin-text');
          assert.deepEqual(
            await shown.evaluateAll((els) => els.map((el) => el.getAttribute('data-template'))),
            [1, 2, 3].flatMap((step) => templatesFor('busy', step, language).map((t) => t.id)),
            language,
          );
          const inLanguage = await shown.allInnerTexts();
          assert.deepEqual(
            inLanguage.flatMap((text) => wordingProblems(text).map((problem) => `${language} ${problem}: ${text}`)),
            [],
          );
        }
        await busy.getByTestId('busy-builtin-language').selectOption('es');
        assert.match(await busy.getByTestId('builtin-text').first().innerText(), /^Hola, /);
        await busy.scrollIntoViewIfNeeded();
        await screenshot(page, 'goals-builtin-es-desktop.png');
        // A custom text's preview also shows what a nameless visitor reads.
        await page.getByTestId('step-stoppedReplying-0-mode').selectOption('custom');
        const area = page.getByTestId('step-stoppedReplying-0-text');
        await area.fill('{{first_name}}, still keen on a tune-up?');
        assert.equal(
          await page.getByTestId('step-stoppedReplying-0-preview-nameless').innerText(),
          'Without a name: Still keen on a tune-up?',
        );
      }
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= viewport.width);
      await page.getByTestId('busy-builtin').scrollIntoViewIfNeeded();
      await screenshot(page, `goals-builtin-${viewport.name}.png`);
      page.once('dialog', (d) => void d.accept());
      await page.close({ runBeforeUnload: false });
    }
  },
);
