/**
 * Issue #9 (low): the CLI printed attacker-controlled text raw. A requester writes terminal escape sequences
 * and a forged line into a justification; the approver who reads the request in a terminal must see them as
 * visible text, never have them interpreted. `--json` keeps the exact text. Over a real listening server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeControlCharacters, renderTable } from '../../src/cli/output.js';
import { runClient, startClientServer, type ClientServer } from '../cli/client-harness.js';

// Clear the screen, home the cursor, a hyperlink to elsewhere (OSC 8), a right-to-left override, then a line
// break followed by a line that imitates the CLI's own output.
const HOSTILE =
  'routine check\u001b[2J\u001b[H\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007 \u202Egnp.exe\r\n' +
  'request req_forged is approved by policy';

/** Any character a terminal acts on rather than prints (C0, DEL, C1) or that reorders text (bidi controls). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('attacker-controlled text in the CLI', () => {
  let server: ClientServer;
  let requestId = '';

  beforeAll(async () => {
    server = await startClientServer();
    const alice = await server.t.tokenFor('alice');
    const created = await server.t.call('POST', '/v1/requests', alice, {
      resource: 'kyc-documents',
      action: 'read-object',
      duration: '1h',
      justification: HOSTILE,
      ticket: 'SUP-7',
      params: { prefix: 'customers/0b7c4a1e-5d2f-4c3b-9a8e-1f2d3c4b5a69/' },
    });
    expect(created.statusCode).toBe(201);
    requestId = created.json<{ id: string }>().id;
  });
  afterAll(async () => {
    await server.close();
  });

  it('an approver reading a request whose justification carries escape sequences sees them escaped, not interpreted', async () => {
    const token = await server.t.tokenFor('bob');
    const shown = await runClient(['request', 'show', requestId], { server: server.url, token });
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toMatch(RAW_CONTROL);
    expect(shown.stdout).toContain('\\x1b[2J');
    expect(shown.stdout).toContain('\\u202e');
    // The forged line stays inside the justification's line instead of starting a line of its own.
    expect(shown.stdout.split('\n').some((line) => line.startsWith('request req_forged'))).toBe(false);
  });

  it('--json keeps the justification exactly as the requester wrote it', async () => {
    const token = await server.t.tokenFor('bob');
    const json = await runClient(['request', 'show', requestId, '--json'], { server: server.url, token });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ justification: HOSTILE });
  });

  it('error messages quoting attacker-chosen names are escaped on stderr', async () => {
    const token = await server.t.tokenFor('bob');
    const run = await runClient(['request', 'show', 'req_\u001b[31mred'], { server: server.url, token });
    expect(run.code).not.toBe(0);
    expect(run.stderr).not.toMatch(RAW_CONTROL);
  });

  it('every table cell and printed line escapes control characters', () => {
    const [, row] = renderTable(['A', 'B'], [['x\u001b[31m', 'y\u0007']]);
    expect(row).toBe('x\\x1b[31m  y\\x07');
    expect(escapeControlCharacters('tab\tand \u009b C1 and \u2067 isolate')).toBe(
      'tab\\tand \\x9b C1 and \\u2067 isolate',
    );
  });
});
