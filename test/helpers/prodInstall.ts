/**
 * An install as `npm ci --omit=dev` (or `npm prune --omit=dev`) leaves it, without the
 * network: node_modules holds a link to each top-level package the lock file does not mark
 * `dev`, so a bundle started there can resolve no dev dependency.
 */
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/buildWeb.mjs';

/** The lock file's production packages, top level. */
export function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(
      ([path, entry]) => path.startsWith('node_modules/') && path.lastIndexOf('node_modules/') === 0 && !entry.dev,
    )
    .map(([path]) => path.slice('node_modules/'.length));
}

/** Fills `dir`/node_modules with the production packages. */
export function linkProductionModules(dir: string): void {
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  for (const name of productionPackages()) {
    if (name.includes('/')) mkdirSync(join(dir, 'node_modules', name.split('/')[0]), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name));
  }
}
