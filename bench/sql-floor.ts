/**
 * The `sqlfloor` scenario (bench/scenarios/sqlFloor.ts) on its own, with other sizes:
 *
 *   node --expose-gc --import tsx bench/sql-floor.ts [--events 30000] [--replies 3000] [--contacts 10000]
 *
 * Prints one JSON object on stdout and the per-statement tables on stderr.
 */
import { parseArgs } from 'node:util';
import { applyHeapGrowing, heapGrowingPercent } from '../src/config/heapGrowth.ts';
import { positiveIntegerOption } from './lib.ts';
import { runSqlFloor, sqlFloorSizes } from './scenarios/sqlFloor.ts';

const { values } = parseArgs({
  options: {
    contacts: { type: 'string' },
    events: { type: 'string' },
    replies: { type: 'string' },
  },
  strict: true,
});
const defaults = sqlFloorSizes({ quick: false });
const sizes = {
  contacts: values.contacts === undefined ? defaults.contacts : positiveIntegerOption('sql-floor', 'contacts', values.contacts),
  events: values.events === undefined ? defaults.events : positiveIntegerOption('sql-floor', 'events', values.events),
  replies: values.replies === undefined ? defaults.replies : positiveIntegerOption('sql-floor', 'replies', values.replies),
};
// The service's V8 heap setting, as src/main.ts applies it.
applyHeapGrowing(heapGrowingPercent());
const result = await runSqlFloor({ quick: false }, sizes);
process.stdout.write(`${JSON.stringify({ scenario: 'sql-floor', ...result })}\n`);
