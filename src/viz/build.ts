/** The visualizer page (web/viz/*.ts) bundled on demand into web/dist/viz.js. */
import { join } from 'node:path';
import { pageBundle, ROOT, type BuildResult } from '../web/pageBundle.ts';

export { ROOT, type BuildResult };
const vizPage = pageBundle('viz', [
  join(ROOT, 'src', 'viz', 'types.ts'),
  join(ROOT, 'src', 'time', 'zonedLabel.ts'),
  join(ROOT, 'src', 'memo.ts'),
  join(ROOT, 'src', 'runtime', 'lru.ts'),
]);
export const VIZ_SOURCE_DIR = vizPage.sourceDir;
export const VIZ_OUTFILE = vizPage.outfile;
export const buildVizBundle = vizPage.build;
export const vizBundleIsStale = vizPage.isStale;
export const ensureVizBundle = vizPage.ensure;
