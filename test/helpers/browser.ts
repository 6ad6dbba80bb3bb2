/**
 * Debian's Chromium driven by playwright-core. Locally the browser tests skip with a
 * printed reason when Chromium is absent; in CI (NUDGE_REQUIRE_BROWSER=1) they fail.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');

export function browserSkipReason(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const reason = `Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`;
  if (process.env.NUDGE_REQUIRE_BROWSER === '1') throw new Error(`browser tests required but ${reason}`);
  console.log(`# skipping browser test: ${reason}`);
  return reason;
}

export async function launchBrowser(t: TestContext): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  t.after(() => browser.close());
  mkdirSync(ARTIFACTS, { recursive: true });
  return browser;
}

/** Every running CSS animation or transition of the page, shadow trees (the widget's) included. */
export function runningAnimations(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const roots: (Document | ShadowRoot)[] = [document];
    for (const el of Array.from(document.querySelectorAll('*'))) if (el.shadowRoot) roots.push(el.shadowRoot);
    return roots.flatMap((root) =>
      root
        .getAnimations()
        .filter((a) => a.playState === 'running')
        .map((a) => {
          const target = (a.effect as KeyframeEffect | null)?.target as Element | null;
          const name = (a as CSSAnimation).animationName ?? (a as CSSTransition).transitionProperty ?? 'animation';
          return `${name} on ${target?.tagName.toLowerCase() ?? '?'}.${target?.className ?? ''}`;
        }),
    );
  });
}

/**
 * A screenshot of the page at rest, in test-artifacts/: finite animations (the widget
 * panel's fade-in) are run to their end first, so nothing is caught mid-fade; endless ones
 * (loading shimmer) and the text caret are frozen.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  await page.evaluate(async () => {
    const roots: (Document | ShadowRoot)[] = [document];
    for (const el of Array.from(document.querySelectorAll('*'))) if (el.shadowRoot) roots.push(el.shadowRoot);
    const finite = roots
      .flatMap((root) => root.getAnimations())
      .filter((a) => a.effect?.getTiming().iterations !== Infinity);
    await Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
    await document.fonts.ready;
  });
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide', ...options });
  return path;
}
