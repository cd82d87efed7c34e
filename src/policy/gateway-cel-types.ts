/**
 * The CEL type of `statement` in an action's gateway rules (docs/policy.md "Gateway"): what the classifier knows
 * about one SQL statement, as declared fields so that `statement.tabels` is a load error. A plain class with no
 * imports, so that `cel.ts` can register it without depending on the code that builds the values.
 */

export class CelStatementCopy {
  constructor(
    /** `from`, `to`, or empty when the statement is not a COPY. */
    readonly direction: string,
    readonly program: boolean,
    readonly file: boolean,
  ) {}
}

export class CelStatement {
  constructor(
    readonly kind: string,
    readonly command: string,
    readonly readOnly: boolean,
    readonly tables: readonly string[],
    readonly schemas: readonly string[],
    readonly functions: readonly string[],
    readonly settings: readonly string[],
    readonly copy: CelStatementCopy,
    readonly fingerprint: string,
  ) {}
}

export const STATEMENT_CEL_TYPE = 'countersign.Statement';

export const GATEWAY_CEL_TYPES = [
  {
    name: 'countersign.StatementCopy',
    ctor: CelStatementCopy,
    fields: { direction: 'string', program: 'bool', file: 'bool' },
  },
  {
    name: STATEMENT_CEL_TYPE,
    ctor: CelStatement,
    fields: {
      kind: 'string',
      command: 'string',
      readOnly: 'bool',
      tables: 'list<string>',
      schemas: 'list<string>',
      functions: 'list<string>',
      settings: 'list<string>',
      copy: 'countersign.StatementCopy',
      fingerprint: 'string',
    },
  },
] as const;
