/**
 * `npm run viz -- --contact ID [--data-dir DIR] [--url URL] [--json]`: a contact's path
 * through the statechart (the state after each logged event, with event types, payload
 * summaries and effects), replayed through the pure machine from the SQLite file opened
 * read-only (no running server needed); flags any disagreement with what was stored, lists
 * pending timers, and prints a link to the page. Exit codes: 0 ok, 1 contact not found,
 * 2 usage or database error, 3 the replay disagrees with the stored data (path still printed).
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TIMER_KIND } from '../../machines/vocabulary.ts';
import { openHistoryReader } from './reader.ts';
import { buildTimeline } from './timeline.ts';
import type { EffectView, TimelineView } from './types.ts';

export const USAGE = `usage: npm run viz -- --contact ID [--data-dir DIR] [--url URL] [--json]

  --contact ID     the contact to show (required)
  --data-dir DIR   where nudge.sqlite lives (default: $NUDGE_DATA_DIR or ./data)
  --url URL        the service's base URL for the link (default: http://127.0.0.1:$PORT or :3000)
  --json           print the full timeline as JSON instead of text`;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const short = (iso: string) => `${iso.slice(0, 19).replace('T', ' ')}Z`;

function effectText(e: EffectView): string {
  switch (e.kind) {
    case 'armed': {
      const what = e.timerKind === TIMER_KIND.botSilence ? 'bot-silence' : `${e.scenario}#${e.step}`;
      const when =
        e.scheduledAt && e.scheduledAt !== e.dueAt
          ? `${short(e.scheduledAt)} (asked ${short(e.dueAt)}, ${e.deferReason ?? 'deferred'})`
          : short(e.dueAt);
      return `armed ${what} due ${when}${e.status ? ` [${e.status}${e.statusReason ? `: ${e.statusReason}` : ''}]` : ''}`;
    }
    case 'cancelled':
      return `cancelled (${e.reason})`;
    case 'sent':
      return `send ${e.scenario}#${e.step}${e.channel ? ` via ${e.channel}` : ''}${e.outcome && e.outcome !== 'sent' ? ` → ${e.outcome}${e.outcomeReason ? ` (${e.outcomeReason})` : ''}` : ''}${e.channelReason && !e.channelReason.startsWith('stays on') ? ` [${e.channelReason}]` : ''}`;
    case 'skipped':
      return `skipped (${e.reason})`;
    case 'workflow':
      return `workflow ${e.scenario}#${e.step}`;
    case 'review':
      return `held for review${e.readings.length ? ` (${e.readings.map((r) => `${r.intent} ${Math.round(r.confidence * 100)}%`).join(' / ')})` : ''}${e.refusalCue ? ' [refusal cue]' : ''}`;
    case 'reviewClosed':
      return `review ${e.reason}`;
    default:
      return e.type;
  }
}

export function formatTimeline(t: TimelineView, url: string): string {
  const lines: string[] = [];
  const who = t.contact.name ? `${t.contact.name} · ` : '';
  lines.push(`contact ${t.contact.id} (${who}bot ${t.bot.name} ${t.bot.id})`);
  lines.push(
    `now: ${t.contact.state}, epoch ${t.contact.epoch}, ${t.entries.length} logged event${t.entries.length === 1 ? '' : 's'}`,
  );
  lines.push('');
  lines.push(
    `  #0  ${short(t.contact.createdAt)}  start${' '.repeat(17)}→ ${typeof t.initial.value === 'string' ? t.initial.value : JSON.stringify(t.initial.value)}`,
  );
  for (const e of t.entries) {
    const move = e.from === e.to ? `${e.to} (stays)` : `${e.from} → ${e.to}`;
    lines.push(`  #${e.seq}  ${short(e.at)}  ${e.type.padEnd(21)} ${move}`);
    lines.push(`        ${e.payload.summary}`);
    if (e.effects.length) lines.push(`        effects: ${e.effects.map(effectText).join('; ')}`);
    lines.push(`        why: ${e.decision.note}`);
    for (const m of e.mismatch ?? []) lines.push(`        !! MISMATCH: ${m.message}`);
  }
  lines.push('');
  if (t.final.mismatch) for (const m of t.final.mismatch) lines.push(`!! MISMATCH (final): ${m.message}`);
  if (t.mismatchCount === 0)
    lines.push(
      `replay: all ${t.entries.length} entries reproduce the stored states and effects; the final snapshot matches.`,
    );
  else
    lines.push(
      `replay: ${t.mismatchCount} disagreement${t.mismatchCount > 1 ? 's' : ''} with the stored data (see !! above).`,
    );
  if (t.pendingTimers.length) {
    lines.push('pending timers:');
    for (const p of t.pendingTimers) {
      const what = p.kind === TIMER_KIND.botSilence ? 'bot-silence' : `${p.scenario} step ${p.step}`;
      lines.push(
        `  ${what} on ${p.ownerState ?? '?'}, due ${short(p.dueAt)}${p.deferReason ? ` (deferred: ${p.deferReason})` : ''}  ${p.id}`,
      );
    }
  } else {
    lines.push('pending timers: none');
  }
  lines.push('');
  lines.push(`open: ${url.replace(/\/+$/, '')}/viz#contact=${encodeURIComponent(t.contact.id)}`);
  return `${lines.join('\n')}\n`;
}

export function runCli(argv: string[], env: Record<string, string | undefined> = process.env): CliResult {
  let values: { contact?: string; 'data-dir'?: string; url?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        contact: { type: 'string' },
        'data-dir': { type: 'string' },
        url: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return {
      code: 2,
      stdout: '',
      stderr: `viz: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`,
    };
  }
  if (values.help) return { code: 0, stdout: `${USAGE}\n`, stderr: '' };
  if (!values.contact) return { code: 2, stdout: '', stderr: `viz: --contact is required\n${USAGE}\n` };
  const url = values.url ?? `http://127.0.0.1:${env.PORT || '3000'}`;
  try {
    new URL(url);
  } catch {
    return {
      code: 2,
      stdout: '',
      stderr: `viz: --url must be an absolute URL such as http://127.0.0.1:3000, got "${url}"\n`,
    };
  }
  const dataDir = resolve(values['data-dir'] ?? env.NUDGE_DATA_DIR ?? 'data');
  const dbPath = join(dataDir, 'nudge.sqlite');
  let reader;
  try {
    reader = openHistoryReader(dbPath);
  } catch (error) {
    return {
      code: 2,
      stdout: '',
      stderr: `viz: cannot open ${dbPath} read-only: ${error instanceof Error ? error.message : String(error)} (use --data-dir)\n`,
    };
  }
  try {
    const history = reader.history(values.contact);
    if (!history) return { code: 1, stdout: '', stderr: `viz: contact ${values.contact} not found in ${dbPath}\n` };
    const timeline = buildTimeline(history, 'database');
    const stdout = values.json ? `${JSON.stringify(timeline, null, 2)}\n` : formatTimeline(timeline, url);
    return { code: timeline.mismatchCount > 0 ? 3 : 0, stdout, stderr: '' };
  } catch (error) {
    return {
      code: 2,
      stdout: '',
      stderr: `viz: reading ${dbPath} failed: ${error instanceof Error ? error.message : String(error)}\n`,
    };
  } finally {
    reader.close();
  }
}

// Run only as a program (tests import runCli).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = runCli(process.argv.slice(2));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}
