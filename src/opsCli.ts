/**
 * `npm run backup -- --to FILE` and `npm run restore -- --from FILE` (both take
 * `--data-dir DIR`, default NUDGE_DATA_DIR or ./data). Backup reads the database on a
 * connection of its own, safe while the server runs; restore refuses while anything has
 * the database open, and keeps the previous file (src/store/backup.ts, restore.ts).
 * Exit codes: 0 done, 1 failed, 2 bad usage.
 */
import { openReadOnlyDatabase } from './store/db.ts';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { backupDatabase } from './store/backup.ts';
import { restoreDatabase } from './store/restore.ts';

const USAGE = `usage:
  npm run backup -- --to FILE [--data-dir DIR]
  npm run restore -- --from FILE [--data-dir DIR]`;

/** Output of one run, for the CLI and for tests. */
export interface OpsOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `backup` or `restore` with its arguments; never exits the process. */
export async function runOps(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<OpsOutput> {
  const [command, ...rest] = argv;
  let values: { to?: string; from?: string; 'data-dir'?: string };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { to: { type: 'string' }, from: { type: 'string' }, 'data-dir': { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    return { code: 2, stdout: '', stderr: `${(error as Error).message}\n${USAGE}\n` };
  }
  const dataDir = resolve(values['data-dir'] ?? env.NUDGE_DATA_DIR ?? 'data');
  const database = join(dataDir, 'nudge.sqlite');
  try {
    if (command === 'backup') {
      if (!values.to) return { code: 2, stdout: '', stderr: `backup needs --to FILE\n${USAGE}\n` };
      if (!existsSync(database)) return { code: 1, stdout: '', stderr: `no database at ${database}\n` };
      const source = openReadOnlyDatabase(database);
      try {
        const result = await backupDatabase(source, resolve(values.to), { inPlace: false });
        return {
          code: 0,
          stdout: `backed up ${database} to ${result.file} (${result.bytes} bytes, schema version ${result.schemaVersion}, integrity ok)\n`,
          stderr: '',
        };
      } finally {
        source.close();
      }
    }
    if (command === 'restore') {
      if (!values.from) return { code: 2, stdout: '', stderr: `restore needs --from FILE\n${USAGE}\n` };
      const lines: string[] = [];
      const result = restoreDatabase({
        from: resolve(values.from),
        dataDir,
        onMigration: (line) => lines.push(`migration: ${line}`),
      });
      lines.unshift(
        `restored ${values.from} into ${result.database} (schema version ${result.backup.schemaVersion}, integrity ok, ${result.backup.bots} bots, ${result.backup.contacts} contacts)`,
        result.previous ? `the previous database is kept as ${result.previous}` : 'there was no previous database',
      );
      return { code: 0, stdout: `${lines.join('\n')}\n`, stderr: '' };
    }
    return { code: 2, stdout: '', stderr: `${USAGE}\n` };
  } catch (error) {
    return { code: 1, stdout: '', stderr: `${command} failed: ${(error as Error).message}\n` };
  }
}

const self = process.argv[1] ?? '';
if (/opsCli\.ts$|ops\.mjs$/.test(self)) {
  const output = await runOps(process.argv.slice(2));
  process.stdout.write(output.stdout);
  process.stderr.write(output.stderr);
  process.exitCode = output.code;
}
