/**
 * OperationOutcomes where data should be. CDS Hooks: a service SHOULD check prefetched data for
 * OperationOutcomes (an EHR puts one where a prefetch query failed, bare or as a searchset entry
 * with `search.mode` `outcome`), and SHALL answer 412 when data it needs cannot be obtained.
 * An issue of severity `error` or `fatal` says the data is missing or cut short; `warning` and
 * `information` are notes on data that is whole (FHIR R4 IssueSeverity).
 * @see https://cds-hooks.hl7.org/2.0/#prefetch-template
 * @see https://hl7.org/fhir/R4/valueset-issue-severity.html
 */

type Json = Readonly<Record<string, unknown>>;

const asObject = (x: unknown): Json | undefined =>
  typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Json) : undefined;

export const isOperationOutcome = (x: unknown): boolean =>
  asObject(x)?.['resourceType'] === 'OperationOutcome';

/** An OperationOutcome with an issue of severity error or fatal. */
export function isErrorOutcome(x: unknown): boolean {
  if (!isOperationOutcome(x)) return false;
  const issues = (x as Json)['issue'];
  return (
    Array.isArray(issues) &&
    issues.some((i) => ['error', 'fatal'].includes(asObject(i)?.['severity'] as string))
  );
}

/** The resources of a Bundle's entries; the item itself when it is no Bundle. */
function resourcesOf(item: unknown): unknown[] {
  const o = asObject(item);
  if (o?.['resourceType'] !== 'Bundle') return [item];
  const entries = Array.isArray(o['entry']) ? (o['entry'] as unknown[]) : [];
  return entries.map((e) => asObject(e)?.['resource']).filter((r) => r !== undefined);
}

export interface OutcomeCheck {
  /** An error OperationOutcome is among the resources (the data may be incomplete). */
  readonly error: boolean;
  /** Nothing but OperationOutcomes, at least one of them an error: no data at all. */
  readonly errorOnly: boolean;
}

/** What the OperationOutcomes in these items (resources, Bundles, pages of a search) say. */
export function checkOutcomes(items: readonly unknown[]): OutcomeCheck {
  const resources = items.flatMap(resourcesOf);
  const error = resources.some(isErrorOutcome);
  return { error, errorOnly: error && resources.every(isOperationOutcome) };
}
