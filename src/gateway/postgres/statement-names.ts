/**
 * The names a client gives statements and portals in the extended protocol, as the gate must see them to know
 * what the server will run. Two things make a name mean something else to the server than to the gate:
 *   - the server cuts names to 63 bytes (NAMEDATALEN - 1) when it looks them up, so `a…ax` and `a…ay` are one
 *     statement to it and two to a gate keeping whole names;
 *   - portal names beginning `countersign.` are the gateway's (the portal it fails a refused batch in).
 * Both are refused. Pure: no I/O.
 */
import type { ErrorFields } from './protocol/backend-messages.js';
import { RESERVED_PORTAL_PREFIX } from './protocol/frontend-builders.js';

/** The longest name the server keeps whole (NAMEDATALEN - 1 bytes). */
export const MAX_NAME_BYTES = 63;

/** Whether a portal or cursor name is the gateway's own (any case: refusing more than the server would confuse). */
export function isReservedPortal(name: string): boolean {
  return name.toLowerCase().startsWith(RESERVED_PORTAL_PREFIX);
}

/** Why a client's statement or portal name is refused, or undefined when it may be used. */
export function nameRefusal(kind: 'statement' | 'portal', name: string): ErrorFields | undefined {
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) {
    return {
      severity: 'ERROR',
      code: '42622',
      message: `${kind} name "${name.slice(0, 20)}…" is longer than ${MAX_NAME_BYTES} bytes, which the server would cut (the Countersign gateway refuses it)`,
    };
  }
  if (kind === 'portal' && isReservedPortal(name)) {
    return {
      severity: 'ERROR',
      code: '42P03',
      message: `portal name "${name}" is reserved by the Countersign gateway (names beginning "${RESERVED_PORTAL_PREFIX}")`,
    };
  }
  return undefined;
}
