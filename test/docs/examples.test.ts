/**
 * The reference docs' examples are checked against what the server really accepts and sends.
 * A fenced block is an example when an HTML comment names its schema right above it:
 *
 *   <!-- example: client-frame -->
 *   ```json
 *
 * A `sh` block's example is the JSON after its `-d` (a request body).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createOperatorBody } from '../../src/console/requests.ts';
import { calendarEventSchema } from '../../src/console/calendar.ts';
import { serverFrameSchema } from '../../src/gateway/frameSchemas.ts';
import { ERROR_CODES, parseClientFrame } from '../../src/gateway/protocol.ts';
import { reviewBody } from '../../src/http/requests.ts';
import { errorBodySchema } from '../../src/http/errors.ts';

interface Example {
  schema: string;
  line: number;
  json: string;
}

/** Problems with `value` under the named schema, or [] when it is valid. */
type Check = (value: unknown, json: string) => string[];

const zodCheck =
  (schema: {
    safeParse(value: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } };
  }): Check =>
  (value) => {
    const result = schema.safeParse(value);
    return result.success
      ? []
      : result.error!.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  };

const CHECKS: Record<string, Check> = {
  // The gateway's own parser, with the limit the docs state.
  'client-frame': (_value, json) => {
    const result = parseClientFrame(json, { maxTextLength: 2000 });
    return result.ok ? [] : [`${result.code}: ${result.message}`];
  },
  'server-frame': zodCheck(serverFrameSchema),
  error: zodCheck(errorBodySchema),
  'operator-create': zodCheck(createOperatorBody),
  'review-decision': zodCheck(reviewBody),
  'calendar-event': zodCheck(calendarEventSchema),
};

function examplesIn(file: string): { examples: Example[]; unmarkedJson: number[] } {
  const lines = readFileSync(file, 'utf8').split('\n');
  const examples: Example[] = [];
  const unmarkedJson: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\w*)$/.exec(lines[i]);
    if (!fence || !fence[1]) continue;
    const end = lines.indexOf('```', i + 1);
    const body = lines.slice(i + 1, end).join('\n');
    const mark = /^<!-- example: ([\w-]+) -->$/.exec(lines[i - 1] ?? '');
    if (mark) {
      const json = fence[1] === 'sh' ? (/-d '(\{.*?\})'/s.exec(body)?.[1] ?? '') : body;
      examples.push({ schema: mark[1], line: i + 1, json });
    } else if (fence[1] === 'json') {
      unmarkedJson.push(i + 1);
    }
    i = end;
  }
  return { examples, unmarkedJson };
}

function check(file: string): { checked: number; problems: string[] } {
  const { examples } = examplesIn(file);
  const problems: string[] = [];
  for (const example of examples) {
    const where = `${file}:${example.line} (${example.schema})`;
    const run = CHECKS[example.schema];
    if (!run) {
      problems.push(`${where}: no schema named ${example.schema}`);
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(example.json);
    } catch (error) {
      problems.push(`${where}: not JSON: ${(error as Error).message}`);
      continue;
    }
    problems.push(...run(value, example.json).map((problem) => `${where}: ${problem}`));
  }
  return { checked: examples.length, problems };
}

describe('reference doc examples', () => {
  it('docs/protocol.md: every frame example is one the server accepts or sends', () => {
    const { unmarkedJson } = examplesIn('docs/protocol.md');
    assert.deepEqual(unmarkedJson, [], 'every JSON block in protocol.md names its schema');
    const { checked, problems } = check('docs/protocol.md');
    assert.deepEqual(problems, []);
    assert.ok(checked >= 10, `only ${checked} examples found`);
  });

  it('docs/api.md: every marked body is one the server accepts or answers', () => {
    const { checked, problems } = check('docs/api.md');
    assert.deepEqual(problems, []);
    assert.ok(checked >= 5, `only ${checked} examples found`);
  });

  it('docs/protocol.md lists exactly the error codes the gateway sends', () => {
    const doc = readFileSync('docs/protocol.md', 'utf8');
    const section = doc.slice(doc.indexOf('\n## Errors'), doc.indexOf('\n## ', doc.indexOf('\n## Errors') + 1));
    const listed = [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual([...listed].sort(), [...ERROR_CODES].sort());
  });

  it('a wrong example is caught: the follow-up scenario must be one the machine has', () => {
    const frame = {
      type: 'message',
      id: 'm',
      seq: 1,
      from: 'bot',
      text: 't',
      at: '2026-01-05T09:00:00.000Z',
      followUp: { scenario: 'no_reply', step: 1 },
    };
    assert.notDeepEqual(CHECKS['server-frame'](frame, JSON.stringify(frame)), []);
  });
});
