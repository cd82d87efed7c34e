import { describe, expect, it } from 'vitest';
import { parseSinkSpecs } from './sink-spec.js';

function sinks(text: string) {
  const parsed = parseSinkSpecs(text);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.sinks;
}

function problems(text: string): readonly string[] {
  const parsed = parseSinkSpecs(text);
  return parsed.ok ? [] : parsed.problems;
}

describe('audit stream sink configuration', () => {
  it('reads one sink of each kind, whitespace separated', () => {
    const parsed = sinks(
      'jet=nats://127.0.0.1:4222?subject=countersign.audit&stream=AUDIT ' +
        'rabbit=amqp://guest@127.0.0.1:5672/%2F?exchange=audit&routingKey=cs.audit&passwordEnv=RABBIT_PASSWORD\n' +
        'sys=syslog+tcp://logs.example:601 tls=syslog+tls://logs.example?ca=/etc/ca.pem ' +
        'splunk=hec+https://splunk.example:8088?tokenEnv=HEC_TOKEN&index=audit',
    );
    expect(parsed.map((sink) => [sink.name, sink.kind])).toEqual([
      ['jet', 'nats'],
      ['rabbit', 'amqp'],
      ['sys', 'syslog'],
      ['tls', 'syslog'],
      ['splunk', 'hec'],
    ]);
    expect(parsed[0]).toMatchObject({ servers: '127.0.0.1:4222', subject: 'countersign.audit', stream: 'AUDIT' });
    expect(parsed[1]).toMatchObject({ exchange: 'audit', routingKey: 'cs.audit', passwordEnv: 'RABBIT_PASSWORD' });
    expect(parsed[3]).toMatchObject({ tls: true, port: 6514, caFile: '/etc/ca.pem' });
    expect(parsed[4]).toMatchObject({
      endpoint: 'https://splunk.example:8088/services/collector/event',
      index: 'audit',
    });
  });

  it('never shows an inline password in the target', () => {
    const [rabbit] = sinks('rabbit=amqp://guest:s3cret@127.0.0.1:5672?exchange=audit');
    expect(rabbit?.target).not.toContain('s3cret');
    expect(rabbit?.target).toContain('guest@127.0.0.1');
  });

  it.each([
    ['nats without a subject', 'a=nats://h:4222', /'subject' is required/],
    ['a wildcard subject', 'a=nats://h?subject=audit.*', /not a NATS subject/],
    ['a password written in a NATS URL', 'a=nats://u:p@h?subject=s', /write no password/],
    ['amqp without an exchange', 'a=amqp://h', /'exchange' is required/],
    ['HEC without a token variable', 'a=hec+https://h', /'tokenEnv' is required/],
    ['a token in the HEC URL', 'a=hec+https://tok@h?tokenEnv=T', /no credentials in the URL/],
    ['a relative CA file', 'a=syslog+tls://h?ca=ca.pem', /absolute path/],
    ['a CA file without TLS', 'a=syslog+tcp://h?ca=/ca.pem', /needs syslog\+tls/],
    ['an unknown parameter', 'a=syslog+tcp://h?facility=1', /unknown parameter 'facility'/],
    ['an unknown scheme', 'a=kafka://h', /unknown scheme 'kafka:'/],
    ['no name', 'nats://h?subject=s', /is not NAME=URL/],
    ['a bad variable name', 'a=hec+http://h?tokenEnv=1X', /must name an environment variable/],
  ])('refuses %s', (_, text, message) => {
    expect(problems(text).join('\n')).toMatch(message);
  });

  it('lists every problem at once, each naming its sink, and refuses a name used twice', () => {
    const found = problems('a=nats://h b=amqp://h a=syslog+tcp://h a=syslog+tcp://h');
    expect(found).toEqual([
      "sink 'a': 'subject' is required (e.g. ?subject=countersign.audit)",
      "sink 'b': 'exchange' is required (e.g. ?exchange=countersign.audit)",
      "sink 'a' is configured twice",
    ]);
  });

  it('reads nothing from an empty configuration', () => {
    expect(sinks('  ')).toEqual([]);
  });
});
