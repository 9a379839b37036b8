import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSseParser } from '../../src/client/sse.ts';

test('events split across chunks arrive whole, in order', () => {
  const seen: Array<[string, string]> = [];
  const parse = createSseParser((event, data) => seen.push([event, data]));
  for (const chunk of [
    'event: out',
    'put\ndata: {"a":',
    '1}\n',
    '\n: keep-alive\n\nevent: end\r\ndata: x\r\ndata: y\r\n\r\n',
  ])
    parse(chunk);
  assert.deepEqual(seen, [
    ['output', '{"a":1}'],
    ['end', 'x\ny'],
  ]);
});

test('an event without a name is a message; an incomplete event is held back', () => {
  const seen: Array<[string, string]> = [];
  const parse = createSseParser((event, data) => seen.push([event, data]));
  parse('data: 1\n\ndata: 2\n');
  assert.deepEqual(seen, [['message', '1']]);
});
