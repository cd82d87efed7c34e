/** The public surface of the `audit-stream` feature: everything outside it imports from here, nothing from its files. */
export { type AuditSink } from './audit-sink.js';
export { AuditStreamer, STREAM_POLL_MS, type AuditStreamerOptions, type StreamRun } from './audit-stream.job.js';
export { readAuditStreams, readStreamLags, type StreamLag } from './audit-stream.queries.js';
export { createSink, secretVariablesOf } from './create-sink.js';
export { readCursor, type CursorRow } from './cursors.repo.js';
export { parseSinkSpecs, type AuditSinkSpec, type SinkSpecsResult } from './sink-spec.js';
export { syslogFrame } from './syslog.sink.js';
export { hecBatchBody } from './hec.sink.js';
