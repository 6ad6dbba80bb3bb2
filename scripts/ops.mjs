#!/usr/bin/env node
// `npm run backup` / `npm run restore`: runs src/opsCli.ts from the server bundle
// (dist/server/ops.mjs), building it first when missing or stale, like `npm start`.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { ensureServerBuilt, SERVER_OUTDIR } from './buildServer.mjs';

try {
  await ensureServerBuilt();
} catch (error) {
  console.error(`nudge: could not build the service bundle: ${error?.message ?? error}`);
  process.exit(1);
}
await import(pathToFileURL(join(SERVER_OUTDIR, 'ops.mjs')).href);
