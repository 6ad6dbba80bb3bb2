#!/usr/bin/env node
// `npm start`: runs the service from its bundle (dist/server/, see buildServer.mjs),
// building it first when it is missing or older than a source it was built from, so a
// fresh clone and an edited tree both just work. Node's --enable-source-maps (set by the
// npm script) maps stack traces back to src/.
import { pathToFileURL } from 'node:url';
import { ensureServerBuilt } from './buildServer.mjs';

let entry;
try {
  ({ entry } = await ensureServerBuilt());
} catch (error) {
  console.error(`nudge: could not build the service bundle: ${error?.message ?? error}`);
  process.exit(1);
}
await import(pathToFileURL(entry).href);
