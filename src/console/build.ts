/** The console page (web/console/*.ts) bundled on demand into web/dist/console.js. */
import { join } from 'node:path';
import { pageBundle, ROOT, type BuildResult } from '../web/pageBundle.ts';

export { ROOT, type BuildResult };
const consolePage = pageBundle('console', [
  join(ROOT, 'src', 'config', 'placeholders.ts'),
  join(ROOT, 'src', 'config', 'smsSegments.ts'),
  join(ROOT, 'src', 'classify', 'placeholders.ts'),
  join(ROOT, 'src', 'classify', 'templates.ts'),
  join(ROOT, 'src', 'classify', 'templateTranslations.ts'),
  join(ROOT, 'src', 'time', 'zonedLabel.ts'),
  join(ROOT, 'src', 'memo.ts'),
  join(ROOT, 'src', 'runtime', 'lru.ts'),
]);
export const CONSOLE_SOURCE_DIR = consolePage.sourceDir;
export const CONSOLE_OUTFILE = consolePage.outfile;
export const buildConsoleBundle = consolePage.build;
export const consoleBundleIsStale = consolePage.isStale;
export const ensureConsoleBundle = consolePage.ensure;
