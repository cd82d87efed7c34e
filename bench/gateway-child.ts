/**
 * The gateway alone in a process of its own, for the idle-sessions benchmark (its RSS is the figure): started by
 * gateway.bench.ts with the upstream port and database as arguments; prints its port on stdout, runs until killed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { PostgresGateway } from '../src/gateway/postgres/server.js';
import { benchBackend } from './gateway-backend.js';

const [upstreamPort, database] = process.argv.slice(2);
const backend = await benchBackend({
  upstreamPort: Number(upstreamPort),
  database: database ?? 'postgres',
  journalDir: mkdtempSync(join(tmpdir(), 'gateway-bench-journal-')),
});
const gateway = new PostgresGateway({ backend, host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }) });
const { port } = await gateway.listen();
process.stdout.write(`${port}\n`);
