/**
 * Debian's Chromium driven by playwright-core. Locally the browser tests skip with a
 * printed reason when Chromium is absent; in CI (NUDGE_REQUIRE_BROWSER=1) they fail.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type Browser } from 'playwright-core';

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
