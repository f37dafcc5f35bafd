/** Reading /metrics (Prometheus text exposition) in tests. */

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The value of one series, given its name and its labels in the order prom-client prints them
 * (alphabetical); a series not yet observed counts 0, as Prometheus reads it.
 */
export function seriesValue(
  text: string,
  name: string,
  labels: readonly (readonly [string, string])[],
): number {
  const set = labels.map(([k, v]) => `${k}="${v}"`).join(',');
  const line = new RegExp(`^${escapeRegExp(`${name}{${set}}`)} (\\S+)$`, 'm').exec(text);
  return Number(line?.[1] ?? 0);
}
