import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { contactMachine } from '../../machines/contact.ts';
import { ARMING_STATES, CONTACT_STATES, INTENTS, SCENARIOS } from '../../machines/vocabulary.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** A list literal spelling out two of `words` in a row, the way a copy of the list starts. */
function copiesOf(words: readonly string[]): RegExp {
  const pairs = words.slice(0, -1).map((word, i) => `'${word}',\\s*'${words[i + 1]}'`);
  return new RegExp(`\\[\\s*(?:${pairs.join('|')})`);
}

describe('the machine vocabulary', () => {
  it("the states are the machine's own top-level states", () => {
    assert.deepEqual(Object.keys(contactMachine.root.states).sort(), [...CONTACT_STATES].sort());
    for (const state of ARMING_STATES) assert.ok(CONTACT_STATES.includes(state));
  });

  it('no module outside machines/vocabulary.ts spells out the scenario, state or intent lists', () => {
    const lists = [SCENARIOS, CONTACT_STATES, INTENTS].map(copiesOf);
    const copies = ['src', 'web', 'machines']
      .flatMap(sourceFiles)
      .filter((file) => file !== join('machines', 'vocabulary.ts'))
      .filter((file) => lists.some((list) => list.test(readFileSync(file, 'utf8'))));
    assert.deepEqual(copies, []);
  });
});
