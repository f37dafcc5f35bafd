/**
 * STORE_DEADLINE_MS's default: the most store time one request may take. Well inside a CDS
 * client's patience for a hook (a few seconds), far above a healthy commit (milliseconds; an fsync
 * stall of a slow disk reaches a few hundred).
 */
export const STORE_DEADLINE_MS_DEFAULT = 3_000;
