/**
 * A client that drips or stalls its request holds a connection and a buffer: the companion answers 408 once a request
 * has taken 30 s to arrive (15 s for its headers), where Node's default would wait five minutes (issue 15, finding 7).
 * The limits themselves are checked on the server main.ts listens with; their effect on the companion's own routes
 * with shorter limits, so the test takes seconds.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createHttpServer, REQUEST_LIMITS } from '../../server/http/server.ts';
import { startServer, type TestServer } from '../support/server.ts';

const SHORT = { requestTimeout: 1_000, headersTimeout: 600, connectionsCheckingInterval: 100 };

/** Writes `head` (and no more) on a fresh connection; resolves with what the server sent until it closed. */
function stall(port: number, head: string): Promise<{ reply: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(head));
    let reply = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (reply += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve({ reply, ms: Date.now() - started }));
    setTimeout(() => socket.destroy(new Error(`still open after 10 s: ${reply}`)), 10_000);
  });
}

test('the server the companion listens with gives a request 30 s and its headers 15 s, checked every 5 s', () => {
  const server = createHttpServer(() => {});
  assert.deepEqual(
    {
      requestTimeout: server.requestTimeout,
      headersTimeout: server.headersTimeout,
    },
    { requestTimeout: 30_000, headersTimeout: 15_000 },
  );
  assert.equal(REQUEST_LIMITS.connectionsCheckingInterval, 5_000);
});

describe('a stalled request is answered 408 and its connection closed', () => {
  let companion: TestServer;
  let port: number;
  let server: ReturnType<typeof createHttpServer>;
  before(async () => {
    companion = await startServer();
    server = createHttpServer(companion.companion.app, SHORT);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await companion.close(true);
  });

  test('a body that stops after 10 of its 2,000 bytes (POST /api/runs)', async () => {
    const head =
      `POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
      'Content-Length: 2000\r\n\r\n{"step":"c';
    const { reply, ms } = await stall(port, head);
    assert.match(reply, /^HTTP\/1\.1 408 /);
    assert.ok(ms >= SHORT.requestTimeout && ms < SHORT.requestTimeout + 2_000, `closed after ${ms} ms`);
  });

  test('headers that never end', async () => {
    const { reply, ms } = await stall(port, `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: a`);
    assert.match(reply, /^HTTP\/1\.1 408 /);
    assert.ok(ms >= SHORT.headersTimeout && ms < SHORT.requestTimeout + 2_000, `closed after ${ms} ms`);
  });

  test('meanwhile other requests are answered', async () => {
    const stalled = stall(port, `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: a`);
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    assert.equal(health.status, 200);
    await stalled;
  });
});
