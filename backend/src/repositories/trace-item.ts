// SQL shared by the tenant and system repositories that group traces by phase item.

/**
 * SQL naming the phase item of a trace: its idempotency key
 * (`<course>-r<run>-s<stage>-<phase>-<index>-c<seq>`, plus `-a<attempt>` for a refused
 * answer) without the call's suffix. Cut from the end: a course id may contain "-c".
 */
export const TRACE_ITEM_SQL = `regexp_replace(idempotency_key, '-c[0-9]+(-a[0-9]+)?$', '')`;
