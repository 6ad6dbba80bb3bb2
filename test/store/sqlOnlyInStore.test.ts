/**
 * Every SQL statement lives in src/store/ (docs/architecture.md lists its modules): a route,
 * a console reader or a delivery module calls a named method and never holds SQL, so no
 * statement is prepared per request and a second store implementation has one place to
 * follow. This scans src/ for SQL outside src/store/ and names each file and line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Where SQL may stand outside src/store/, and why. Each entry is a path prefix.
 */
const EXCEPTIONS: Record<string, string> = {
  // PostgreSQL cluster coordination (partition leases, membership, the inbox, LISTEN/NOTIFY,
  // the outbox claim) owns its tables and runs its statements through src/store/postgres/pool.ts.
  'src/cluster/': 'cluster coordination tables, owned by src/cluster/',
};

/** What marks SQL in code: a prepare/pragma call, an exec of a literal, or a statement in a literal. */
const SQL_PATTERNS: RegExp[] = [
  /\.prepare\s*[<(]/,
  /\.pragma\s*\(/,
  /\.exec\s*\(\s*[`'"]/,
  /[`'"][^`'"]*\b(?:SELECT\s+(?:[\w*]|\$\{)|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)|PRAGMA\s+\w)/,
];

/** The text with comments blanked out (line numbers kept). */
function withoutComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/[^\n]*/g, (_match, lead: string) => lead);
}

/** `file:line: code` for each line of `text` that holds SQL. */
export function sqlLines(file: string, text: string): string[] {
  const found: string[] = [];
  withoutComments(text)
    .split('\n')
    .forEach((line, index) => {
      if (SQL_PATTERNS.some((pattern) => pattern.test(line))) found.push(`${file}:${index + 1}: ${line.trim()}`);
    });
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(?:ts|tsx|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

test('no SQL statement stands in src/ outside src/store/ (but for the listed exceptions)', () => {
  const outside = sourceFiles(join(ROOT, 'src'))
    .map((path) => relative(ROOT, path).split('\\').join('/'))
    .filter((file) => !file.startsWith('src/store/'))
    .filter((file) => !Object.keys(EXCEPTIONS).some((prefix) => file.startsWith(prefix)))
    .flatMap((file) => sqlLines(file, readFileSync(join(ROOT, file), 'utf8')));
  assert.deepEqual(outside, [], `SQL outside src/store/ — move it into a store module:\n${outside.join('\n')}`);
});

test('the scan finds SQL in every form a route once held it, and not in comments or regexes', () => {
  const route = [
    '// SELECT in a comment is not SQL',
    'const rows = store.db.prepare(`SELECT id FROM contacts WHERE bot_id = ?`).all(id);',
    'const sql = `SELECT ${contactColumns()} FROM contacts`;',
    "const del = 'DELETE FROM outbox WHERE id = ?';",
    "db.pragma('busy_timeout = 5000');",
    "db.exec('CREATE TABLE t (x)');",
    'const match = /^Bearer\\s+(\\S+)$/i.exec(header);',
    '/* UPDATE contacts SET name = 1 */',
    "const label = 'Select a bot';",
  ].join('\n');
  assert.deepEqual(
    sqlLines('route.ts', route).map((line) => line.split(':')[1]),
    ['2', '3', '4', '5', '6'],
  );
});

test('every exception still holds SQL (a cleared one is taken off the list)', () => {
  for (const prefix of Object.keys(EXCEPTIONS)) {
    const path = join(ROOT, prefix);
    const files = prefix.endsWith('/') ? sourceFiles(path) : [path];
    const found = files.flatMap((file) => sqlLines(file, readFileSync(file, 'utf8')));
    assert.ok(found.length > 0, `${prefix} holds no SQL any more: take it off EXCEPTIONS`);
  }
});
