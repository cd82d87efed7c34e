/**
 * JDBC through the gateway, as Java applications and tools like DBeaver use it: Debian's PostgreSQL JDBC driver
 * (42.5, `libpostgresql-jdbc-java`, installed by .ci/run) in a real JVM, against the real PostgreSQL. The driver
 * logs in with SCRAM, sends its own startup parameters (DateStyle, TimeZone, extra_float_digits…), switches to a
 * named server-side statement with binary results from a prepared statement's fifth execution, sends a batch as
 * one pipeline without Syncs, and reads the catalog for metadata. A refusal must reach it as SQLSTATE 42501 and
 * leave the connection usable. Skipped only outside CI when no JDK or driver is installed.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbSql } from './admin-sql.js';
import { ProtocolBackend, startTestGateway } from './protocol-backend.js';

const DRIVER = '/usr/share/java/postgresql.jar';
const available = existsSync(DRIVER) && existsSync('/usr/bin/java');
if (process.env['CI'] === 'true' && !available) throw new Error(`CI needs java and ${DRIVER} (.ci/run installs them)`);

const TABLE = `jdbc_${process.pid}_${Date.now()}`;

function runJdbc(port: number, password: string): Promise<Map<string, string[]>> {
  return new Promise((resolve, reject) => {
    execFile(
      'java',
      ['-cp', DRIVER, join(import.meta.dirname, 'jdbc', 'GatewayJdbc.java')],
      {
        env: {
          PATH: process.env['PATH'] ?? '',
          GW_URL: `jdbc:postgresql://127.0.0.1:${port}/payments-db`,
          GW_USER: 'alice',
          GW_PASSWORD: password,
          GW_TABLE: TABLE,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        if (error && stdout === '') return reject(new Error(`java failed: ${stderr || error.message}`));
        const steps = new Map<string, string[]>();
        for (const line of stdout.split('\n').filter(Boolean)) {
          const [step, ...rest] = line.split('\t');
          steps.set(step ?? '', rest);
        }
        resolve(steps);
      },
    );
  });
}

describe.skipIf(!available)('JDBC through the gateway', () => {
  const backend = new ProtocolBackend({
    refuse: (sql) => (/^\s*delete\b/i.test(sql) ? "rule 'no-deletes': deletes need the change action" : undefined),
  });
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let steps: Map<string, string[]>;

  beforeAll(async () => {
    await testDbSql(`create table ${TABLE} (id int primary key, note text, amount numeric(10,2))`);
    await testDbSql(`insert into ${TABLE} values (1, 'one', 1.25), (2, 'two', 2.50), (3, 'three', 3.75)`);
    backend.addLogin('alice', 'payments-db', 'gw-secret-jdbc');
    gateway = await startTestGateway(backend);
    steps = await runJdbc(gateway.port, 'gw-secret-jdbc');
  }, 90_000);
  afterAll(async () => {
    await gateway.close();
    await testDbSql(`drop table if exists ${TABLE}`);
  });

  it('the driver logs in with SCRAM and its startup parameters, and a plain statement runs', () => {
    expect(steps.get('connect')?.[0]).toBe('ok');
    expect(steps.get('statement')).toEqual(['ok', '42']);
  });

  it('a prepared statement keeps working after the driver switches to a named statement with binary results', () => {
    const rows = '2:two:2.50 3:three:3.75 1:one:1.25 ';
    expect(steps.get('prepared')).toEqual(['ok', `${rows.repeat(2)}2:two:2.50 3:three:3.75`]);
    const executions = backend.statements.filter((s) => s.sql.includes(`from ${TABLE} where id = $1`));
    expect(executions.filter((s) => s.allowed)).toHaveLength(8);
  });

  it('a refused statement reaches the driver as 42501 naming the rule, and the connection goes on', () => {
    expect(steps.get('refused')?.slice(0, 2)).toEqual(['error', '42501']);
    expect(steps.get('refused')?.[2]).toContain("rule 'no-deletes'");
    expect(steps.get('after-refusal')).toEqual(['ok', '3']);
  });

  it('a transaction the application rolls back leaves nothing behind', () => {
    expect(steps.get('transaction')).toEqual(['ok', 'rolled back, 0 left']);
  });

  it('a batch with a refused statement fails as a whole, and nothing of it is committed', async () => {
    expect(steps.get('batch')?.slice(0, 2)).toEqual(['error', '42501']);
    expect(steps.get('after-batch')).toEqual(['ok', '3']);
    expect(await testDbSql(`select id from ${TABLE} order by id`)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it("the driver's catalog queries for metadata and its validity check work", () => {
    expect(steps.get('metadata')).toEqual(['ok', 'id note amount']);
    expect(steps.get('valid')).toEqual(['ok', 'true']);
  });

  it('every statement the driver sent was recorded, the refused ones as refused', () => {
    const refused = backend.statements.filter((s) => !s.allowed).map((s) => s.sql);
    expect(refused).toEqual([`delete from ${TABLE}`, `delete from ${TABLE} where id = 1`]);
  });
});
