/**
 * Finds a file of the repository (the corpus, the model weights) from wherever this code
 * runs: src/classify/ under tsx, dist/server/ or dist/server/chunks/ when bundled.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of `relative` in the nearest ancestor directory of this module that has it. */
export function findRepoFile(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${relative} not found above ${dirname(fileURLToPath(import.meta.url))}`);
    dir = parent;
  }
}
