/** Builds the sink a validated spec describes (sink-spec.ts). */
import { AmqpSink } from './amqp.sink.js';
import type { AuditSink } from './audit-sink.js';
import { HecSink } from './hec.sink.js';
import { NatsSink } from './nats.sink.js';
import type { AuditSinkSpec } from './sink-spec.js';
import { SyslogSink } from './syslog.sink.js';

export function createSink(spec: AuditSinkSpec, env: NodeJS.ProcessEnv = process.env): AuditSink {
  switch (spec.kind) {
    case 'nats':
      return new NatsSink(spec, env);
    case 'amqp':
      return new AmqpSink(spec, env);
    case 'syslog':
      return new SyslogSink(spec);
    case 'hec':
      return new HecSink(spec, env);
  }
}

/** The environment variables a spec needs: checked at start, so a missing secret stops the server there. */
export function secretVariablesOf(spec: AuditSinkSpec): string[] {
  switch (spec.kind) {
    case 'nats':
      return [spec.tokenEnv, spec.passwordEnv].filter((name): name is string => name !== undefined);
    case 'amqp':
      return spec.passwordEnv === undefined ? [] : [spec.passwordEnv];
    case 'hec':
      return [spec.tokenEnv];
    case 'syslog':
      return [];
  }
}
