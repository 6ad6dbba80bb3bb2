/**
 * The `floors` scenario (bench/scenarios/floors.ts) on its own, with other sizes:
 *
 *   node --expose-gc --import tsx bench/floors.ts [--events 30000] [--replies 3000] [--contacts 10000]
 *
 * Prints one JSON object on stdout and the per-statement tables on stderr.
 */
import { parseArgs } from 'node:util';
import { applyHeapGrowing, heapGrowingPercent } from '../src/process/heapGrowth.ts';
import { positiveIntegerOption } from './lib.ts';
import { floorSizes, runFloors } from './scenarios/floors.ts';

const { values } = parseArgs({
  options: {
    contacts: { type: 'string' },
    events: { type: 'string' },
    replies: { type: 'string' },
  },
  strict: true,
});
const defaults = floorSizes({ quick: false });
const sizes = {
  contacts:
    values.contacts === undefined ? defaults.contacts : positiveIntegerOption('floors', 'contacts', values.contacts),
  events: values.events === undefined ? defaults.events : positiveIntegerOption('floors', 'events', values.events),
  replies: values.replies === undefined ? defaults.replies : positiveIntegerOption('floors', 'replies', values.replies),
};
// The service's V8 heap setting, as src/main.ts applies it.
applyHeapGrowing(heapGrowingPercent());
const result = await runFloors({ quick: false }, sizes);
process.stdout.write(`${JSON.stringify({ scenario: 'floors', ...result })}\n`);
