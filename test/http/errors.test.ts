import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ERROR_CATALOG, Errors, HttpError, toHttpError, type ErrorCode } from '../../src/http/errors.ts';

/** The codes in the status/code table under `## Errors` in docs/api.md. */
function documentedCodes(): Map<string, number> {
  const doc = readFileSync('docs/api.md', 'utf8');
  const section = doc.slice(doc.indexOf('\n## Errors'), doc.indexOf('\n## ', doc.indexOf('\n## Errors') + 1));
  const codes = new Map<string, number>();
  for (const row of section.matchAll(/^\| (\d{3}) \| ([^|]+) \|/gm)) {
    for (const code of row[2].matchAll(/`([a-z_]+)`/g)) codes.set(code[1], Number(row[1]));
  }
  return codes;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the error catalog', () => {
  it('docs/api.md lists exactly the catalog, each code with its status', () => {
    const documented = documentedCodes();
    assert.deepEqual(
      Object.fromEntries([...documented].sort()),
      Object.fromEntries(Object.entries(ERROR_CATALOG).sort()),
    );
  });

  it('a factory answers its code with the catalog status', () => {
    const error = Errors.invalidRequest('missing field name');
    assert.ok(error instanceof HttpError);
    assert.equal(error.code, 'invalid_request');
    assert.equal(error.status, 400);
    assert.equal(Errors.reviewStale('x').status, 409);
    assert.equal(Object.keys(Errors).length, Object.keys(ERROR_CATALOG).length);
  });

  it('no source file builds an API error outside the catalog', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles('src')) {
      if (file === join('src', 'http', 'errors.ts')) continue;
      const text = readFileSync(file, 'utf8');
      // A status given by hand, or a code the catalog lacks, would bypass the one list.
      for (const m of text.matchAll(/new HttpError\(\s*(\d+|'([a-z_]+)')/g)) {
        if (!m[2] || !(m[2] in ERROR_CATALOG)) offenders.push(`${file}: ${m[0]}`);
      }
      for (const m of text.matchAll(/Errors\.(\w+)\(/g)) {
        if (!(m[1] in Errors)) offenders.push(`${file}: Errors.${m[1]}`);
      }
      // Error bodies are written by errors.ts; the widget gateway's frames have their own catalog (protocol.ts).
      if (!file.startsWith(join('src', 'gateway')) && /JSON\.stringify\(\{ error: \{/.test(text))
        offenders.push(`${file}: hand-built error body`);
      if (/\.send\(\{\s*error:/.test(text)) offenders.push(`${file}: hand-built error answer (use sendError)`);
    }
    assert.deepEqual(offenders, []);
  });

  it('every code is snake_case and its status an HTTP error status', () => {
    for (const [code, status] of Object.entries(ERROR_CATALOG) as [ErrorCode, number][]) {
      assert.match(code, /^[a-z]+(_[a-z]+)*$/);
      assert.ok(status >= 400 && status < 600, code);
    }
  });
});

describe('storage failures', () => {
  const log = { error: () => {} };
  const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

  it('answer 503 storage_unavailable on SQLite and PostgreSQL alike, one write’s error 500', () => {
    const unavailable = [
      withCode('database or disk is full', 'SQLITE_FULL'),
      withCode('attempt to write a readonly database', 'SQLITE_READONLY'),
      withCode('cannot execute INSERT in a read-only transaction', '25006'),
      withCode('could not extend file: No space left on device', '53100'),
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      new Error('Connection terminated unexpectedly'),
    ];
    for (const error of unavailable) {
      const answer = toHttpError(error, log);
      assert.deepEqual([answer.status, answer.code], [503, 'storage_unavailable'], error.message);
    }
    for (const error of [
      withCode('duplicate key value violates unique constraint "messages_pkey"', '23505'),
      withCode('UNIQUE constraint failed: messages.id', 'SQLITE_CONSTRAINT_PRIMARYKEY'),
      new Error('contact ct_1 not found'),
    ]) {
      const answer = toHttpError(error, log);
      assert.deepEqual([answer.status, answer.code], [500, 'internal'], error.message);
    }
  });
});
