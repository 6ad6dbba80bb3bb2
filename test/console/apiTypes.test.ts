/** The console's API types are generated, never edited: the checked-in file is what the document generates now. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { API_TYPES_PATH, apiTypesSource } from '../../scripts/genApiTypes.ts';

test('web/console/apiTypes.ts is what npm run gen:api generates from the OpenAPI document', async () => {
  const generated = await apiTypesSource();
  assert.ok(generated.includes('ResponseInfo: {'), 'the generated types name the response schemas');
  assert.equal(readFileSync(API_TYPES_PATH, 'utf8'), generated, 'stale: run npm run gen:api and commit the result');
});
