/**
 * Runs one scenario in its own process (so scenarios do not share a heap, JIT state or
 * caches warmed by another) and prints its result as one JSON object on stdout.
 *
 *   node --expose-gc --import tsx bench/scenarioChild.ts <scenario> [--quick]
 */
import { applyHeapGrowing, heapGrowingPercent } from '../src/process/heapGrowth.ts';
import { SCENARIO_NAMES, type ScenarioName } from './scenarios/catalog.ts';
import { SCENARIOS } from './scenarios/index.ts';

const name = process.argv[2] as ScenarioName;
if (!SCENARIO_NAMES.includes(name)) {
  process.stderr.write(`unknown scenario "${process.argv[2]}"; known: ${SCENARIO_NAMES.join(', ')}\n`);
  process.exit(2);
}
// The service's V8 heap setting, as src/main.ts applies it (NUDGE_HEAP_GROWING_PERCENT).
applyHeapGrowing(heapGrowingPercent());
const result = await SCENARIOS[name]({ quick: process.argv.includes('--quick') });
process.stdout.write(`${JSON.stringify(result)}\n`);
