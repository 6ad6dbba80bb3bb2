/**
 * Evaluation of a classifier on a labelled JSONL file (format: shared/data/README.md):
 * per-intent precision/recall, confusion matrix, accuracy, the share of request_time records
 * whose resolved instant is within tolerance, and latency percentiles.
 */
import { DateTime } from 'luxon';
import { DEFAULT_UNCERTAIN_THRESHOLD, needsReview } from './local.ts';
import { recordLanguage } from './recordLanguage.ts';
import { isValidZone } from './timeResolver.ts';
import { INTENTS, type Classification, type ClassifyInput, type Intent } from './types.ts';

export interface EvalRecord {
  id: string;
  text: string;
  /** Epoch ms. */
  now: number;
  timezone: string;
  intent: Intent;
  followupAt?: number;
  toleranceMinutes?: number;
  note?: string;
  /** Language code (`lang`, else named by the note, else en: recordLanguage.ts). */
  lang: string;
  /** 1-based line number in the source file. */
  line: number;
}

export class DatasetError extends Error {
  constructor(
    message: string,
    readonly problems: readonly { line: number; message: string }[] = [],
  ) {
    super(message);
    this.name = 'DatasetError';
  }
}

function parseIso(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const dt = DateTime.fromISO(value, { setZone: true });
  return dt.isValid ? dt.toMillis() : null;
}

/** Parses JSONL content; every bad line is reported (with its number), none is skipped silently. */
export function parseDataset(content: string, source = 'input'): EvalRecord[] {
  const records: EvalRecord[] = [];
  const problems: { line: number; message: string }[] = [];
  const ids = new Set<string>();
  const lines = content.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (e) {
      problems.push({ line, message: `not valid JSON (${(e as Error).message})` });
      return;
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
      problems.push({ line, message: 'expected a JSON object' });
      return;
    }
    const r = obj as Record<string, unknown>;
    const errs: string[] = [];
    if (typeof r.text !== 'string') errs.push('"text" must be a string');
    const now = parseIso(r.now);
    if (now === null) errs.push('"now" must be an ISO datetime with offset');
    if (typeof r.timezone !== 'string' || !isValidZone(r.timezone))
      errs.push(`"timezone" must be an IANA zone (got ${JSON.stringify(r.timezone)})`);
    if (typeof r.intent !== 'string' || !INTENTS.includes(r.intent as Intent)) {
      errs.push(`"intent" must be one of ${INTENTS.join(', ')} (got ${JSON.stringify(r.intent)})`);
    }
    let followupAt: number | undefined;
    let tol: number | undefined;
    if (r.intent === 'request_time') {
      const f = parseIso(r.followup_at);
      if (f === null) errs.push('"followup_at" (ISO datetime) is required for request_time');
      else followupAt = f;
      if (typeof r.tolerance_minutes !== 'number' || !(r.tolerance_minutes >= 0)) {
        errs.push('"tolerance_minutes" (a number ≥ 0) is required for request_time');
      } else tol = r.tolerance_minutes;
    }
    const id = typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : `line-${line}`;
    if (ids.has(id)) errs.push(`duplicate id ${JSON.stringify(id)}`);
    ids.add(id);
    if (errs.length) {
      problems.push({ line, message: errs.join('; ') });
      return;
    }
    records.push({
      id,
      text: r.text as string,
      now: now!,
      timezone: r.timezone as string,
      intent: r.intent as Intent,
      followupAt,
      toleranceMinutes: tol,
      note: typeof r.note === 'string' ? r.note : undefined,
      lang: recordLanguage(r),
      line,
    });
  });
  if (problems.length) {
    const shown = problems
      .slice(0, 10)
      .map((p) => `  line ${p.line}: ${p.message}`)
      .join('\n');
    const more = problems.length > 10 ? `\n  … and ${problems.length - 10} more` : '';
    throw new DatasetError(`${source}: ${problems.length} invalid line(s):\n${shown}${more}`, problems);
  }
  if (records.length === 0) throw new DatasetError(`${source}: no records (empty file)`);
  return records;
}

export interface IntentScores {
  precision: number;
  recall: number;
  f1: number;
  /** Gold records of this intent. */
  support: number;
  /** Records predicted as this intent. */
  predicted: number;
  truePositives: number;
}

export interface EvalResult {
  record: EvalRecord;
  classification: Classification;
  /** Wall-clock time of the call. */
  latencyMs: number;
  correct: boolean;
  /** For request_time records: the resolved instant is within tolerance. */
  timeOk?: boolean;
  timeErrorMinutes?: number;
}

export interface EvalReport {
  classifier: string;
  n: number;
  accuracy: number;
  timeWithinTolerance: number;
  timeRecords: number;
  timeHits: number;
  perIntent: Record<Intent, IntentScores>;
  /** confusion[gold][predicted] = count */
  confusion: Record<Intent, Record<Intent, number>>;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  fallbacks: number;
  fallbackReasons: Record<string, number>;
  /** Accuracy per record language (`lang`, or named by the note). */
  perLanguage: Record<string, { n: number; accuracy: number }>;
  notInterestedRecall: number;
  notInterestedPrecision: number;
  /**
   * The refusals not read as `not_interested`: how many the doubt path would still hold for an
   * operator, and the recall when those count (never merged into `notInterestedRecall`).
   */
  notInterestedMissed: { count: number; heldForReview: number; recallCountingReview: number };
  /** Classifications the doubt path would hold for an operator (confidence below the threshold, or an unresolved refusal cue). */
  needsReview: { count: number; share: number; threshold: number; lowConfidence: number; refusalCue: number };
  /** Reliability of `confidence` (records without one are left out): equal-width bins and the expected calibration error. */
  calibration: { n: number; ece: number; bins: ReliabilityBin[] } | null;
}

/** One bin of a reliability table. */
export interface ReliabilityBin {
  from: number;
  to: number;
  n: number;
  meanConfidence: number;
  accuracy: number;
}

export interface SummaryOptions {
  /** Confidence below this goes to needs_review (default DEFAULT_UNCERTAIN_THRESHOLD). */
  uncertainThreshold?: number;
  /** Bins of the reliability table (default 10). */
  bins?: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

export type ClassifyFn = (input: ClassifyInput) => Classification | Promise<Classification>;

export async function evaluate(
  records: readonly EvalRecord[],
  classify: ClassifyFn,
  classifierName = 'rules',
  options: SummaryOptions = {},
): Promise<{ report: EvalReport; results: EvalResult[] }> {
  const results = await classifyAll(records, classify);
  return { report: summarize(results, classifierName, options), results };
}

/** Classifies each record and scores it (intent, and the time for request_time records). */
export async function classifyAll(records: readonly EvalRecord[], classify: ClassifyFn): Promise<EvalResult[]> {
  const results: EvalResult[] = [];
  for (const record of records) {
    const input: ClassifyInput = { text: record.text, now: record.now, timezone: record.timezone };
    const t0 = performance.now();
    const maybe = classify(input);
    const classification = maybe instanceof Promise ? await maybe : maybe;
    const latencyMs = performance.now() - t0;
    const correct = classification.intent === record.intent;
    const res: EvalResult = { record, classification, latencyMs, correct };
    if (record.intent === 'request_time' && record.followupAt !== undefined) {
      const at = classification.intent === 'request_time' ? classification.requestedAt : undefined;
      if (at !== undefined) {
        res.timeErrorMinutes = (at - record.followupAt) / 60_000;
        res.timeOk = Math.abs(res.timeErrorMinutes) <= (record.toleranceMinutes ?? 0) + 1e-9;
      } else {
        res.timeOk = false;
      }
    }
    results.push(res);
  }
  return results;
}

/** Reliability table and expected calibration error of the results that carry a confidence. */
export function reliability(results: readonly EvalResult[], bins = 10): EvalReport['calibration'] {
  const scored = results.filter((r) => typeof r.classification.confidence === 'number');
  if (scored.length === 0) return null;
  const table: ReliabilityBin[] = [];
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const from = b / bins;
    const to = (b + 1) / bins;
    const inBin = scored.filter((r) => {
      const c = r.classification.confidence!;
      return c >= from && (b === bins - 1 ? c <= to : c < to);
    });
    if (inBin.length === 0) continue;
    const meanConfidence = inBin.reduce((s, r) => s + r.classification.confidence!, 0) / inBin.length;
    const accuracy = inBin.filter((r) => r.correct).length / inBin.length;
    ece += (inBin.length / scored.length) * Math.abs(accuracy - meanConfidence);
    table.push({
      from: round(from, 2),
      to: round(to, 2),
      n: inBin.length,
      meanConfidence: round(meanConfidence),
      accuracy: round(accuracy),
    });
  }
  return { n: scored.length, ece: round(ece), bins: table };
}

export function summarize(
  results: readonly EvalResult[],
  classifierName: string,
  options: SummaryOptions = {},
): EvalReport {
  const confusion = Object.fromEntries(
    INTENTS.map((g) => [g, Object.fromEntries(INTENTS.map((p) => [p, 0]))]),
  ) as Record<Intent, Record<Intent, number>>;
  let correct = 0;
  let timeRecords = 0;
  let timeHits = 0;
  let fallbacks = 0;
  const fallbackReasons: Record<string, number> = {};
  for (const r of results) {
    confusion[r.record.intent][r.classification.intent]++;
    if (r.correct) correct++;
    if (r.timeOk !== undefined) {
      timeRecords++;
      if (r.timeOk) timeHits++;
    }
    if (r.classification.fallbackReason) {
      fallbacks++;
      const key = r.classification.fallbackReason.replace(/\d+/g, 'N');
      fallbackReasons[key] = (fallbackReasons[key] ?? 0) + 1;
    }
  }
  const perIntent = {} as Record<Intent, IntentScores>;
  for (const intent of INTENTS) {
    const tp = confusion[intent][intent];
    const support = INTENTS.reduce((s, p) => s + confusion[intent][p], 0);
    const predicted = INTENTS.reduce((s, g) => s + confusion[g][intent], 0);
    const precision = predicted ? tp / predicted : support ? 0 : 1;
    const recall = support ? tp / support : 1;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perIntent[intent] = {
      precision: round(precision),
      recall: round(recall),
      f1: round(f1),
      support,
      predicted,
      truePositives: tp,
    };
  }
  const lat = results.map((r) => r.latencyMs).sort((a, b) => a - b);
  const mean = lat.length ? lat.reduce((s, x) => s + x, 0) / lat.length : 0;
  return {
    classifier: classifierName,
    n: results.length,
    accuracy: round(results.length ? correct / results.length : 0),
    timeWithinTolerance: round(timeRecords ? timeHits / timeRecords : 1),
    timeRecords,
    timeHits,
    perIntent,
    confusion,
    latencyMs: {
      p50: round(percentile(lat, 50), 4),
      p90: round(percentile(lat, 90), 4),
      p99: round(percentile(lat, 99), 4),
      max: round(lat[lat.length - 1] ?? 0, 4),
      mean: round(mean, 4),
    },
    fallbacks,
    fallbackReasons,
    perLanguage: languageAccuracy(results),
    notInterestedRecall: perIntent.not_interested.recall,
    notInterestedPrecision: perIntent.not_interested.precision,
    notInterestedMissed: missedRefusals(results, options.uncertainThreshold ?? DEFAULT_UNCERTAIN_THRESHOLD),
    needsReview: reviewCounts(results, options.uncertainThreshold ?? DEFAULT_UNCERTAIN_THRESHOLD),
    calibration: reliability(results, options.bins ?? 10),
  };
}

function languageAccuracy(results: readonly EvalResult[]): EvalReport['perLanguage'] {
  const by = new Map<string, { n: number; correct: number }>();
  for (const r of results) {
    const s = by.get(r.record.lang) ?? { n: 0, correct: 0 };
    s.n++;
    if (r.correct) s.correct++;
    by.set(r.record.lang, s);
  }
  return Object.fromEntries(
    [...by.entries()]
      .sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]))
      .map(([lang, s]) => [lang, { n: s.n, accuracy: round(s.correct / s.n) }]),
  );
}

function missedRefusals(results: readonly EvalResult[], threshold: number): EvalReport['notInterestedMissed'] {
  let refusals = 0;
  let count = 0;
  let held = 0;
  for (const { record, classification: c } of results) {
    if (record.intent !== 'not_interested') continue;
    refusals++;
    if (c.intent === 'not_interested') continue;
    count++;
    if (needsReview(c, threshold)) held++;
  }
  const recallCountingReview = refusals ? (refusals - count + held) / refusals : 1;
  return { count, heldForReview: held, recallCountingReview: round(recallCountingReview) };
}

function reviewCounts(results: readonly EvalResult[], threshold: number): EvalReport['needsReview'] {
  let count = 0;
  let lowConfidence = 0;
  let refusalCue = 0;
  for (const { classification: c } of results) {
    const low = c.confidence !== undefined && c.confidence < threshold;
    if (low) lowConfidence++;
    if (c.refusalCue) refusalCue++;
    if (low || c.refusalCue) count++;
  }
  return { count, share: round(results.length ? count / results.length : 0), threshold, lowConfidence, refusalCue };
}

/** Human-readable report. */
export function formatReport(report: EvalReport): string {
  const out: string[] = [];
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  out.push(`classifier: ${report.classifier}    records: ${report.n}`);
  out.push('');
  out.push('intent            precision  recall   f1      support  predicted');
  for (const intent of INTENTS) {
    const s = report.perIntent[intent];
    out.push(
      `${intent.padEnd(16)}  ${pct(s.precision).padStart(8)}  ${pct(s.recall).padStart(7)}  ${s.f1.toFixed(3).padStart(6)}  ${String(s.support).padStart(7)}  ${String(s.predicted).padStart(9)}`,
    );
  }
  out.push('');
  out.push('confusion (rows: gold, columns: predicted)');
  const abbr: Record<Intent, string> = {
    busy: 'busy',
    request_time: 'req_time',
    not_interested: 'not_int',
    booked: 'booked',
    engaged: 'engaged',
  };
  out.push(`${''.padEnd(16)}${INTENTS.map((i) => abbr[i].padStart(10)).join('')}`);
  for (const g of INTENTS)
    out.push(`${g.padEnd(16)}${INTENTS.map((p) => String(report.confusion[g][p]).padStart(10)).join('')}`);
  out.push('');
  out.push(`accuracy:              ${pct(report.accuracy)}  (${report.accuracy})`);
  out.push(
    `timeWithinTolerance:   ${pct(report.timeWithinTolerance)}  (${report.timeHits}/${report.timeRecords} request_time records)`,
  );
  out.push(
    `latency ms:            p50 ${report.latencyMs.p50.toFixed(3)}  p90 ${report.latencyMs.p90.toFixed(3)}  p99 ${report.latencyMs.p99.toFixed(3)}  max ${report.latencyMs.max.toFixed(3)}`,
  );
  out.push(
    `not_interested:        recall ${pct(report.notInterestedRecall)}  precision ${pct(report.notInterestedPrecision)}`,
  );
  const missed = report.notInterestedMissed;
  out.push(
    `  missed refusals:     ${missed.count}, of which ${missed.heldForReview} held for review (recall counting them ${pct(missed.recallCountingReview)})`,
  );
  const nr = report.needsReview;
  out.push(
    `needs_review:          ${pct(nr.share)}  (${nr.count}/${report.n}: ${nr.lowConfidence} below confidence ${nr.threshold}, ${nr.refusalCue} with an unresolved refusal cue)`,
  );
  out.push('');
  out.push('per language          n    accuracy');
  for (const [lang, s] of Object.entries(report.perLanguage))
    out.push(`  ${lang.padEnd(16)}${String(s.n).padStart(5)}    ${pct(s.accuracy).padStart(6)}`);
  if (report.calibration) {
    out.push('');
    out.push(`reliability (confidence bins; ECE ${report.calibration.ece.toFixed(3)} over ${report.calibration.n})`);
    out.push('  bin          n   mean conf  accuracy');
    for (const b of report.calibration.bins) {
      out.push(
        `  ${b.from.toFixed(1)}–${b.to.toFixed(1)}  ${String(b.n).padStart(6)}   ${b.meanConfidence.toFixed(3).padStart(8)}  ${b.accuracy.toFixed(3).padStart(8)}`,
      );
    }
  }
  if (report.fallbacks) {
    out.push(`fallbacks:             ${report.fallbacks}`);
    for (const [reason, n] of Object.entries(report.fallbackReasons)) out.push(`  ${n} × ${reason}`);
  }
  return out.join('\n');
}
