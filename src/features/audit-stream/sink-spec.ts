/**
 * The operator's description of an audit stream sink, `NAME=URL` (`serve --audit-stream`, repeatable, or
 * `COUNTERSIGN_AUDIT_STREAMS`, whitespace separated), parsed and validated once at start. The stream is a
 * tamper-evidence control, so sinks are configured by whoever runs the server, never through the API: an
 * administrator alone cannot silence it. Secrets are never written in the URL when avoidable: a parameter
 * `tokenEnv` / `passwordEnv` names the environment variable that holds them (read when the sink is built).
 *
 * - `nats://[user@]host:4222?subject=S[&stream=X][&tokenEnv=V|&passwordEnv=V][&ca=/ca.pem]` (JetStream)
 * - `amqp[s]://user[:password]@host:5672[/vhost]?exchange=E[&routingKey=R][&passwordEnv=V][&ca=/ca.pem]`
 * - `syslog+tcp://host:port[?appName=A]`, `syslog+tls://host:6514[?ca=/ca.pem][&servername=N]` (RFC 5424/6587/5425)
 * - `hec+https://host:8088[/services/collector/event]?tokenEnv=V[&ca=/ca.pem][&index=I][&sourcetype=T]`
 *   (Splunk HTTP Event Collector; `hec+http://` for a collector on loopback)
 */
import { isAbsolute } from 'node:path';

export const SINK_KINDS = ['nats', 'amqp', 'syslog', 'hec'] as const;
export type SinkKind = (typeof SINK_KINDS)[number];

interface SinkCommon {
  /** The name of the sink: its cursor, its lease, its metrics label. */
  readonly name: string;
  /** The URL without its password: what logs, metrics and `GET /v1/audit/streams` show. */
  readonly target: string;
  /** A CA certificate file (PEM) to trust for TLS, besides the system's. */
  readonly caFile?: string;
}

export interface NatsSinkSpec extends SinkCommon {
  readonly kind: 'nats';
  readonly servers: string;
  readonly subject: string;
  /** With a stream named, the server refuses a publish that stream would not store. */
  readonly stream?: string;
  readonly user?: string;
  readonly tokenEnv?: string;
  readonly passwordEnv?: string;
  readonly tls: boolean;
}

export interface AmqpSinkSpec extends SinkCommon {
  readonly kind: 'amqp';
  /** The URL to connect to; its password, if written inline, is here only. */
  readonly url: string;
  readonly exchange: string;
  readonly routingKey: string;
  readonly passwordEnv?: string;
}

export interface SyslogSinkSpec extends SinkCommon {
  readonly kind: 'syslog';
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly servername?: string;
  readonly appName: string;
}

export interface HecSinkSpec extends SinkCommon {
  readonly kind: 'hec';
  /** The collector's event endpoint (http or https). */
  readonly endpoint: string;
  readonly tokenEnv: string;
  readonly index?: string;
  readonly sourcetype: string;
}

export type AuditSinkSpec = NatsSinkSpec | AmqpSinkSpec | SyslogSinkSpec | HecSinkSpec;

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]{0,199}$/;
const SUBJECT = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;
const HEADER_SAFE = /^[\x21-\x7e]{1,255}$/;

/** The result of parsing every spec: the sinks, or every problem found (each naming the sink). */
export type SinkSpecsResult =
  | { readonly ok: true; readonly sinks: readonly AuditSinkSpec[] }
  | { readonly ok: false; readonly problems: readonly string[] };

class SpecProblem extends Error {}

function fail(message: string): never {
  throw new SpecProblem(message);
}

function param(url: URL, key: string, pattern?: RegExp): string | undefined {
  const value = url.searchParams.get(key) ?? undefined;
  if (value !== undefined && pattern !== undefined && !pattern.test(value)) fail(`'${key}' is not valid`);
  return value;
}

function envParam(url: URL, key: 'tokenEnv' | 'passwordEnv'): string | undefined {
  const value = param(url, key);
  if (value !== undefined && !VARIABLE.test(value)) fail(`'${key}' must name an environment variable`);
  return value;
}

function caParam(url: URL): string | undefined {
  const ca = param(url, 'ca');
  if (ca !== undefined && !isAbsolute(ca)) fail(`'ca' must be an absolute path`);
  return ca;
}

function onlyParams(url: URL, allowed: readonly string[]): void {
  for (const key of url.searchParams.keys()) {
    if (!allowed.includes(key)) fail(`unknown parameter '${key}' (known: ${allowed.join(', ')})`);
  }
}

function portOf(url: URL, fallback: number): number {
  return url.port === '' ? fallback : Number(url.port);
}

/** The URL as shown to people: no password, no query secrets (there are none: only variable names). */
function targetOf(url: URL): string {
  const shown = new URL(url.toString());
  shown.password = '';
  return shown.toString();
}

function natsSpec(name: string, url: URL): NatsSinkSpec {
  onlyParams(url, ['subject', 'stream', 'tokenEnv', 'passwordEnv', 'tls', 'ca']);
  const subject = param(url, 'subject') ?? fail(`'subject' is required (e.g. ?subject=countersign.audit)`);
  if (!SUBJECT.test(subject)) fail(`subject '${subject}' is not a NATS subject without wildcards`);
  if (url.password !== '') fail(`write no password in the URL: name its variable with 'passwordEnv'`);
  const tokenEnv = envParam(url, 'tokenEnv');
  const passwordEnv = envParam(url, 'passwordEnv');
  if (passwordEnv !== undefined && url.username === '')
    fail(`'passwordEnv' needs a user in the URL (nats://user@host)`);
  const caFile = caParam(url);
  return {
    kind: 'nats',
    name,
    target: targetOf(url),
    servers: `${url.hostname}:${portOf(url, 4222)}`,
    subject,
    stream: param(url, 'stream', /^[A-Za-z0-9_-]{1,255}$/),
    user: url.username === '' ? undefined : decodeURIComponent(url.username),
    tokenEnv,
    passwordEnv,
    tls: param(url, 'tls') === 'true' || caFile !== undefined,
    caFile,
  };
}

function amqpSpec(name: string, url: URL): AmqpSinkSpec {
  onlyParams(url, ['exchange', 'routingKey', 'passwordEnv', 'ca']);
  const exchange = param(url, 'exchange') ?? fail(`'exchange' is required (e.g. ?exchange=countersign.audit)`);
  if (exchange !== '' && !HEADER_SAFE.test(exchange)) fail(`exchange '${exchange}' is not valid`);
  const routingKey = param(url, 'routingKey') ?? 'countersign.audit';
  if (!HEADER_SAFE.test(routingKey)) fail(`routing key '${routingKey}' is not valid`);
  const passwordEnv = envParam(url, 'passwordEnv');
  if (passwordEnv !== undefined && url.password !== '') fail(`give the password once: in the URL or by 'passwordEnv'`);
  const connect = new URL(url.toString());
  connect.search = '';
  return {
    kind: 'amqp',
    name,
    target: targetOf(url),
    url: connect.toString(),
    exchange,
    routingKey,
    passwordEnv,
    caFile: caParam(url),
  };
}

function syslogSpec(name: string, url: URL, tls: boolean): SyslogSinkSpec {
  onlyParams(url, ['appName', 'ca', 'servername']);
  if (url.username !== '' || url.password !== '') fail('syslog takes no credentials in the URL');
  if (!tls && url.searchParams.has('ca')) fail(`'ca' needs syslog+tls://`);
  return {
    kind: 'syslog',
    name,
    target: targetOf(url),
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: portOf(url, tls ? 6514 : 601),
    tls,
    servername: param(url, 'servername', /^[A-Za-z0-9.-]{1,253}$/),
    appName: param(url, 'appName', /^[\x21-\x7e]{1,48}$/) ?? 'countersign',
    caFile: caParam(url),
  };
}

function hecSpec(name: string, url: URL, scheme: 'http' | 'https'): HecSinkSpec {
  onlyParams(url, ['tokenEnv', 'ca', 'index', 'sourcetype']);
  if (url.username !== '' || url.password !== '')
    fail(`write no credentials in the URL: name the token's variable with 'tokenEnv'`);
  const tokenEnv = envParam(url, 'tokenEnv') ?? fail(`'tokenEnv' is required: the variable holding the HEC token`);
  if (scheme === 'http' && url.searchParams.has('ca')) fail(`'ca' needs hec+https://`);
  const path = url.pathname === '' || url.pathname === '/' ? '/services/collector/event' : url.pathname;
  return {
    kind: 'hec',
    name,
    target: targetOf(url),
    endpoint: `${scheme}://${url.host}${path}`,
    tokenEnv,
    index: param(url, 'index', /^[A-Za-z0-9_-]{1,80}$/),
    sourcetype: param(url, 'sourcetype', /^[\x21-\x7e]{1,100}$/) ?? 'countersign:audit',
    caFile: caParam(url),
  };
}

/** Parses one `NAME=URL`; throws a {@link SpecProblem} naming what is wrong. */
function parseOne(entry: string): AuditSinkSpec {
  const equals = entry.indexOf('=');
  const name = equals === -1 ? '' : entry.slice(0, equals);
  if (!NAME.test(name)) fail(`'${entry.slice(0, 80)}' is not NAME=URL (a name of a-z, 0-9, '.', '_', '-')`);
  let url: URL;
  try {
    url = new URL(entry.slice(equals + 1));
  } catch {
    fail(`sink '${name}': the URL is not valid`);
  }
  if (url.hostname === '') fail(`sink '${name}': the URL names no host`);
  try {
    switch (url.protocol) {
      case 'nats:':
        return natsSpec(name, url);
      case 'amqp:':
      case 'amqps:':
        return amqpSpec(name, url);
      case 'syslog+tcp:':
        return syslogSpec(name, url, false);
      case 'syslog+tls:':
        return syslogSpec(name, url, true);
      case 'hec+http:':
        return hecSpec(name, url, 'http');
      case 'hec+https:':
        return hecSpec(name, url, 'https');
      default:
        return fail(
          `unknown scheme '${url.protocol}' (nats, amqp, amqps, syslog+tcp, syslog+tls, hec+http, hec+https)`,
        );
    }
  } catch (error) {
    if (error instanceof SpecProblem && !error.message.startsWith('sink ')) fail(`sink '${name}': ${error.message}`);
    throw error;
  }
}

/** Parses every `NAME=URL` of the configuration (whitespace separated); lists every problem. */
export function parseSinkSpecs(text: string): SinkSpecsResult {
  const sinks: AuditSinkSpec[] = [];
  const problems: string[] = [];
  for (const entry of text.split(/\s+/).filter((part) => part !== '')) {
    try {
      const spec = parseOne(entry);
      if (sinks.some((sink) => sink.name === spec.name)) problems.push(`sink '${spec.name}' is configured twice`);
      else sinks.push(spec);
    } catch (error) {
      if (!(error instanceof SpecProblem)) throw error;
      problems.push(error.message);
    }
  }
  return problems.length === 0 ? { ok: true, sinks } : { ok: false, problems };
}
