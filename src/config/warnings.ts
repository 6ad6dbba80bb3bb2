/**
 * Spam and foot-gun warnings for a *valid* configuration. Unlike validation errors they do
 * not block saving; the API returns them with the bot and the Bot Goals editor shows them
 * as the operator types. Every warning names the field it is about.
 */
import { SCENARIOS } from '../../machines/contact.ts';
import type { BotConfig, MessageSpec } from './botConfig.ts';
import { durationToMs, formatDuration } from './duration.ts';
import { fillPlaceholders, placeholdersIn } from './placeholders.ts';
import { smsSegments } from './smsSegments.ts';
import { parseHHMM } from '../time/wallTime.ts';

export interface ConfigWarning {
  path: string;
  message: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Follow-ups closer together than this read as pestering. */
export const MIN_COMFORTABLE_GAP_MS = HOUR;
/** Custom texts longer than this many SMS segments cost more and read as spam. */
export const MAX_COMFORTABLE_SEGMENTS = 2;
const DEFAULT_QUIET = { start: '21:00', end: '08:00' };

/** Sample values for the SMS-length estimate (placeholders are filled with typical lengths). */
function sampleValues(config: BotConfig) {
  return {
    first_name: 'Alexandra',
    last_name: 'Richardson',
    full_name: 'Alexandra Richardson',
    business_name: config.name,
    booking_url: config.bookingUrl ?? 'https://example.com/book',
  };
}

export function configWarnings(config: BotConfig): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const warn = (path: string, message: string) => warnings.push({ path, message });

  if (!config.active) warn('active', 'the bot is inactive: no follow-up is sent (due ones are recorded as skipped)');
  if (SCENARIOS.every((name) => !config.scenarios[name].enabled)) {
    warn('scenarios', 'every scenario is disabled: this bot never follows up');
  }

  for (const name of SCENARIOS) {
    const scenario = config.scenarios[name];
    const base = `scenarios.${name}`;
    const delays = scenario.cadence.map((step) => durationToMs(step.delay));

    // Steps after the first: their delay is the gap since the previous follow-up.
    delays.forEach((ms, index) => {
      if (index > 0 && ms < MIN_COMFORTABLE_GAP_MS) {
        warn(
          `${base}.cadence.${index}.delay`,
          `step ${index + 1} comes only ${formatDuration(ms)} after step ${index}; follow-ups less than 1h apart feel like spam`,
        );
      }
    });

    // Send times relative to step 1; the most of them inside any 24 h window.
    const offsets = delays.map((_, i) => delays.slice(1, i + 1).reduce((a, b) => a + b, 0));
    let most = 0;
    for (let i = 0; i < offsets.length; i++) {
      most = Math.max(most, offsets.filter((t) => t >= offsets[i] && t < offsets[i] + DAY).length);
    }
    if (most > config.followUpCapPer24h) {
      warn(
        `${base}.cadence`,
        `${most} follow-ups of this cadence fall within 24h but followUpCapPer24h is ${config.followUpCapPer24h}: the cap will hold back the extra ones`,
      );
    }

    const messages: [string, MessageSpec | undefined][] = [
      [`${base}.message`, scenario.message],
      ...scenario.cadence.map((step, index): [string, MessageSpec | undefined] => [
        `${base}.cadence.${index}.message`,
        step.message,
      ]),
    ];
    for (const [path, spec] of messages) {
      if (!spec || spec.mode !== 'custom') continue;
      const estimate = smsSegments(fillPlaceholders(spec.text, sampleValues(config)));
      if (estimate.segments > MAX_COMFORTABLE_SEGMENTS) {
        warn(
          `${path}.text`,
          `by SMS this text needs about ${estimate.segments} segments (${estimate.units} ${estimate.encoding} characters with placeholders filled); more than ${MAX_COMFORTABLE_SEGMENTS} costs more and reads as spam`,
        );
      }
      if (config.bookingUrl === null && placeholdersIn(spec.text).includes('booking_url')) {
        warn(`${path}.text`, 'the text uses {{booking_url}} but bookingUrl is not set: the link would be empty');
      }
    }
  }

  const uncovered = uncoveredDefaultQuietMinutes(config.smsQuietHours);
  if (uncovered > 0) {
    warn(
      'smsQuietHours',
      `quiet hours ${config.smsQuietHours.start}–${config.smsQuietHours.end} are narrower than the default ${DEFAULT_QUIET.start}–${DEFAULT_QUIET.end}; texting outside 08:00–21:00 may break local rules (e.g. the US TCPA)`,
    );
  }
  return warnings;
}

/** Minutes of the default 21:00–08:00 window that the configured quiet hours leave open. */
function uncoveredDefaultQuietMinutes(quiet: { start: string; end: string }): number {
  const inWindow = (minute: number, start: number, end: number) =>
    start > end ? minute >= start || minute < end : minute >= start && minute < end;
  const qs = parseHHMM(quiet.start);
  const qe = parseHHMM(quiet.end);
  const ds = parseHHMM(DEFAULT_QUIET.start)!;
  const de = parseHHMM(DEFAULT_QUIET.end)!;
  if (qs === null || qe === null) return 0;
  let uncovered = 0;
  for (let minute = 0; minute < 1440; minute++) {
    if (inWindow(minute, ds, de) && !inWindow(minute, qs, qe)) uncovered++;
  }
  return uncovered;
}
