/**
 * What the gateway learns by parsing a statement text, as one step that can run on any thread: its
 * classification and, in a session with masks, its mask check. The parse worker (sql-parse-worker.ts) runs it for
 * long texts, with the same modules as the event loop, so both find the same facts. Pure once `loadSqlParser()`
 * has finished.
 */
import type { MaskCatalog, ParsedText } from '../backend.js';
import { classifySql } from './sql-classify.js';
import { maskViolation, type MaskedColumn } from './sql-mask-check.js';

/**
 * The masks a session's statements are checked against: the profile's and the columns the catalog found to be
 * them under another name (`MaskCatalog.columns`), with the objects the catalog found computing from them.
 */
export interface MaskRules {
  readonly columns: readonly MaskedColumn[];
  readonly refused: ReadonlyMap<string, string>;
}

/** A session's mask rules: its profile's masks with what its database's catalog adds to them. */
export function maskRules(declared: readonly MaskedColumn[], catalog: MaskCatalog): MaskRules {
  return { columns: [...declared, ...catalog.columns], refused: catalog.refused };
}

/** Why `sql` may not run under `masks` (`maskViolation`), undefined when it may. */
export function maskRulesViolation(sql: string, masks: MaskRules): string | undefined {
  return maskViolation(sql, masks.columns, masks.refused);
}

export function analyseSqlText(sql: string, masks?: MaskRules): ParsedText {
  const classification = classifySql(sql);
  if (masks === undefined) return { classification };
  return { classification, masks: { violation: maskRulesViolation(sql, masks) } };
}
