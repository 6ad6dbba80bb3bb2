/**
 * One benchmark scenario in a child process of its own (bench/scenarioChild.ts), with the
 * node flags the service gets: shared by `npm run bench` (bench/run.ts) and the A/B runner
 * (bench/ab.ts), which runs it from other checkouts.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { npmScriptNodeFlags } from '../test/faults/lib/realServer.ts';

/**
 * Whatever node/V8 flags a checkout's `start` script gives the service, so a scenario
 * measures the core as `npm start` runs it. Source maps only matter for errors.
 */
export function serviceNodeFlags(root: string): string[] {
  return npmScriptNodeFlags('start', 'scripts/start.mjs', root).filter((flag) => flag !== '--enable-source-maps');
}

export interface ScenarioProcessOptions {
  /** The checkout to run (its bench/scenarioChild.ts, its package.json's flags). */
  root: string;
  scenario: string;
  quick: boolean;
  /** More node flags after the service's (A/B runs of V8 settings). */
  extraNodeFlags?: string[];
  /** 'inherit' shows the scenario's progress; 'tail' keeps its last lines for the error. */
  stderr: 'inherit' | 'tail';
}

/** Runs the scenario and resolves with the one JSON object it prints. */
export function runScenarioProcess(options: ScenarioProcessOptions): Promise<Record<string, unknown>> {
  const args = [
    ...serviceNodeFlags(options.root),
    ...(options.extraNodeFlags ?? []),
    '--expose-gc',
    '--import',
    'tsx',
    join(options.root, 'bench', 'scenarioChild.ts'),
    options.scenario,
    ...(options.quick ? ['--quick'] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.root,
      stdio: ['ignore', 'pipe', options.stderr === 'inherit' ? 'inherit' : 'pipe'],
    });
    let out = '';
    let tail = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (tail = (tail + chunk).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0)
        return reject(
          new Error(`scenario ${options.scenario} exited with ${signal ?? code}${tail ? `: ${tail}` : ''}`),
        );
      try {
        resolve(JSON.parse(out) as Record<string, unknown>);
      } catch {
        reject(new Error(`scenario ${options.scenario} printed no JSON result: ${out.slice(0, 500)}`));
      }
    });
  });
}
