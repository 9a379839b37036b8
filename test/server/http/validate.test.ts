/**
 * Edge validation: the first problem becomes a 400 naming the field and the rule; unknown fields are refused even
 * where a schema would silently strip them (a non-strict object, nested in arrays).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { HttpError } from '../../../server/http/errors.ts';
import { parseOrThrow } from '../../../server/http/validate.ts';

/** The HttpError `fn` throws. */
function refusal(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof HttpError);
    return err;
  }
  assert.fail('accepted');
}

const lenient = z.object({
  name: z.string().max(3, 'must be at most 3 characters'),
  tags: z.array(z.object({ key: z.string() })).default([]),
});

test('keys a lenient schema would strip are refused, at any depth', () => {
  const top = refusal(() => parseOrThrow(lenient, { name: 'a', extra: 1 }, 'params'));
  assert.deepEqual(
    [top.status, top.field, top.message],
    [400, 'params.extra', 'params.extra: unknown field; remove it'],
  );
  const nested = refusal(() =>
    parseOrThrow(lenient, { name: 'a', tags: [{ key: 'k' }, { key: 'k', value: 'v' }] }, 'params'),
  );
  assert.equal(nested.field, 'params.tags.1.value');
});

test('a broken rule names the field and the rule', () => {
  const err = refusal(() => parseOrThrow(lenient, { name: 'abcd' }, 'params'));
  assert.deepEqual([err.field, err.message], ['params.name', 'params.name: must be at most 3 characters']);
});

test('valid input passes, defaults applied', () => {
  assert.deepEqual(parseOrThrow(lenient, { name: 'abc' }), { name: 'abc', tags: [] });
});
