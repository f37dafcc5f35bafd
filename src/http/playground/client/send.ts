/** Sending a CDS Hooks request to this service and showing the answer: cards, or the error. */
import { renderCards, type Card } from './cards.js';
import { byId, errorText, h } from './dom.js';
import type { HookRequest } from './fhir-request.js';

export function setStatus(text: string): void {
  byId('status').textContent = text;
}

export function clearError(): void {
  const error = byId('error');
  error.replaceChildren();
  error.hidden = true;
}

interface Issue {
  readonly severity?: string;
  readonly code?: string;
  readonly diagnostics?: string;
  readonly details?: { readonly text?: string };
  readonly expression?: readonly string[];
  readonly location?: readonly string[];
}

function isOutcome(body: unknown): body is { issue: readonly Issue[] } {
  const b = body as { resourceType?: unknown; issue?: unknown } | null;
  return b?.resourceType === 'OperationOutcome' && Array.isArray(b.issue);
}

/** Shows an error, with the OperationOutcome's issues when the service sent one. */
export function showError(title: string, body?: unknown, fallbackText?: string): void {
  const items: HTMLElement[] = [];
  if (isOutcome(body)) {
    for (const issue of body.issue) {
      const where = [...(issue.expression ?? []), ...(issue.location ?? [])];
      items.push(
        h(
          'li',
          {},
          h('span', {
            class: 'issue-code',
            text: `${issue.severity ?? 'error'} (${issue.code ?? 'unknown'})`,
          }),
          ': ',
          String(issue.diagnostics ?? issue.details?.text ?? 'no details'),
          where.length > 0
            ? [' ', h('span', { class: 'issue-where', text: `at ${where.join(', ')}` })]
            : null,
        ),
      );
    }
  } else if (fallbackText) {
    items.push(h('li', { text: fallbackText.slice(0, 500) }));
  }
  byId('error').replaceChildren(
    h('p', {}, h('strong', { text: title })),
    items.length > 0 ? h('ul', {}, items) : '',
  );
  byId('error').hidden = false;
}

/** POSTs the request to /cds-services/{serviceId} and shows what came back. */
export async function send(request: HookRequest, serviceId: string, note?: string): Promise<void> {
  const cards = byId('cards');
  clearError();
  byId('endpoint').textContent = `POST /cds-services/${serviceId}`;
  byId('request').textContent = JSON.stringify(request, null, 2);
  byId('response').textContent = '(waiting)';
  setStatus('Sending...');
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(`/cds-services/${encodeURIComponent(serviceId)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(request),
    });
  } catch (err) {
    setStatus('The request failed.');
    showError('The service could not be reached.', undefined, errorText(err));
    renderCards(cards, undefined, serviceId);
    return;
  }
  const ms = Math.round(performance.now() - started);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  byId('response').textContent =
    body === undefined ? text || '(empty body)' : JSON.stringify(body, null, 2);
  if (!response.ok) {
    setStatus(`HTTP ${response.status} in ${ms} ms: no cards.`);
    showError(
      `The service answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
      body,
      text || undefined,
    );
    renderCards(cards, undefined, serviceId);
    revealResults();
    return;
  }
  const list = (body as { cards?: unknown } | undefined)?.cards;
  if (!Array.isArray(list)) {
    setStatus(`HTTP ${response.status} in ${ms} ms.`);
    showError('The response has no cards array.', body, text);
    renderCards(cards, undefined, serviceId);
    return;
  }
  const n = list.length;
  setStatus(
    `HTTP ${response.status} in ${ms} ms: ${n} card${n === 1 ? '' : 's'}${note ? ` (${note})` : ''}.`,
  );
  renderCards(cards, list as Card[], serviceId);
  revealResults();
}

/** In the one-column layout (a narrow sidebar) the results sit below the forms: bring them up. */
function revealResults(): void {
  if (window.matchMedia('(max-width: 860px)').matches)
    byId('cards-heading').scrollIntoView({ block: 'start' });
}

export async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}
