/**
 * Companion entry point: serves the built site and (soon) the /api routes on one origin, 127.0.0.1:4321 by default.
 */
import path from 'node:path';
import express from 'express';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 4321);
const siteDir = path.resolve(import.meta.dirname, '..', 'dist');

const app = express();
app.disable('x-powered-by');
app.get('/api/health', (_req, res) => { res.json({ status: 'ok', mode: 'sandbox', executor: 'sandbox' }); });
app.use(express.static(siteDir, { extensions: ['html'] }));
app.use((_req, res) => res.status(404).sendFile(path.join(siteDir, '404.html')));

const server = app.listen(port, host, () => console.log(`Runbook at http://${host}:${port}/`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.close(() => process.exit(0)));
