import { describe, expect, it } from 'vitest';
import { AppError, ERROR_CODES } from '../../src/core/errors.js';
import { PROBLEM_BY_CODE, toProblem } from '../../src/http/problem.js';

const EXPECTED_STATUS = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid: 400,
  conflict: 409,
  sod_violation: 403,
  policy_denied: 403,
  audit_unavailable: 503,
  database_unavailable: 503,
  provider_failed: 502,
  rate_limited: 429,
  internal: 500,
} as const;

describe('problem+json mapping', () => {
  it.each(ERROR_CODES.map((code) => [code]))("the code '%s' maps to its documented status", (code) => {
    const { status, problem } = toProblem(new AppError(code, `something about 'x'`), '/v1/x');
    expect(status).toBe(EXPECTED_STATUS[code]);
    expect(problem).toMatchObject({ status, code, detail: "something about 'x'", instance: '/v1/x' });
    expect(problem.type).toMatch(/^https:\/\/countersign\.dev\/problems\//);
    expect(problem.title).toBe(PROBLEM_BY_CODE[code].title);
  });

  it('a raw error becomes a bare internal problem without its message', () => {
    const raw = new Error('SELECT hash FROM api_tokens WHERE id = $1: relation does not exist');
    const { status, problem } = toProblem(raw, '/v1/x');
    expect(status).toBe(500);
    expect(JSON.stringify(problem)).not.toMatch(/SELECT|api_tokens|relation/);
  });

  it('reasons and problems of an AppError are kept, other details go under details', () => {
    const error = new AppError('sod_violation', 'no', {
      reasons: [{ code: 'sod.not_requester', message: 'nope' }],
      problems: ['a: b'],
      requestId: 'req_1',
    });
    const { problem } = toProblem(error, '/v1/x');
    expect(problem.reasons).toEqual([{ code: 'sod.not_requester', message: 'nope' }]);
    expect(problem.problems).toEqual(['a: b']);
    expect(problem.details).toEqual({ requestId: 'req_1' });
  });
});
