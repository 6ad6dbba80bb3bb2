/** Scenario name → its run function (imported by the per-scenario child process only). */
import type { BenchOptions } from '../lib.ts';
import type { ScenarioName } from './catalog.ts';
import { runEvents } from './events.ts';
import { runLateness } from './lateness.ts';
import { runMillion } from './million.ts';
import { runReschedule } from './reschedule.ts';
import { runOutbox } from './outbox.ts';
import { runLiveChat } from './livechat.ts';
import { runFloors } from './floors.ts';
import { runClassify } from './classify.ts';

export const SCENARIOS: Record<ScenarioName, (opts: BenchOptions) => Promise<Record<string, unknown>>> = {
  events: runEvents,
  reschedule: runReschedule,
  million: runMillion,
  lateness: runLateness,
  outbox: runOutbox,
  livechat: runLiveChat,
  classify: runClassify,
  floors: runFloors,
};
