/** Cards as an EHR shows them: indicator, summary, markdown detail, suggestions, overrides, links. */
import { externalLink, h } from './dom.js';
import { renderMarkdown } from './markdown.js';

interface Coded {
  readonly code?: string;
  readonly system?: string;
  readonly display?: string;
}
interface Suggestion {
  readonly uuid?: string;
  readonly label: string;
  readonly isRecommended?: boolean;
  readonly actions?: readonly {
    readonly type: string;
    readonly description?: string;
    readonly resource?: { readonly resourceType?: string };
  }[];
}
export interface Card {
  readonly uuid?: string;
  readonly summary?: string;
  readonly detail?: string;
  readonly indicator?: string;
  readonly source?: { readonly label: string; readonly url?: string };
  readonly suggestions?: readonly Suggestion[];
  readonly selectionBehavior?: string;
  readonly overrideReasons?: readonly Coded[];
  readonly links?: readonly {
    readonly label: string;
    readonly url: string;
    readonly type?: string;
  }[];
}

const INDICATOR_LABEL: Readonly<Record<string, string>> = {
  info: 'Info',
  warning: 'Warning',
  critical: 'Critical',
};

let cardCount = 0;

/** Card markdown as DOM nodes (sanitised HTML from markdown.ts, parsed inertly by a template). */
function markdownNodes(text: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = renderMarkdown(text);
  return template.content;
}

/** The feedback an EHR would POST to {service}/feedback; shown, not sent (no test data in the store). */
function showFeedback(container: HTMLElement, serviceId: string, item: Record<string, unknown>) {
  const body = { feedback: [{ ...item, outcomeTimestamp: new Date().toISOString() }] };
  container.replaceChildren(
    h(
      'p',
      {},
      item['outcome'] === 'accepted' ? 'Accepted. ' : 'Overridden. ',
      `An EHR would now POST this to /cds-services/${serviceId}/feedback (the playground does not send it):`,
    ),
    h('pre', { tabindex: '0', text: JSON.stringify(body, null, 2) }),
  );
  container.hidden = false;
}

function renderSuggestions(card: Card, serviceId: string, feedback: HTMLElement): HTMLElement {
  const list = h('ul', { class: 'suggestions', 'aria-label': 'Suggestions' });
  const chosen = new Set<string>();
  for (const s of card.suggestions ?? []) {
    const button = h(
      'button',
      { type: 'button', class: 'suggestion', 'aria-pressed': 'false' },
      s.label,
    );
    const actions = h(
      'ul',
      { class: 'suggestion-actions' },
      (s.actions ?? []).map((a) =>
        h(
          'li',
          {},
          h('span', { class: 'action-type', text: a.type }),
          ' ',
          String(a.description ?? ''),
          a.resource
            ? h(
                'details',
                {},
                h('summary', { text: `${a.resource.resourceType ?? 'Resource'} to ${a.type}` }),
                h('pre', { tabindex: '0', text: JSON.stringify(a.resource, null, 2) }),
              )
            : null,
        ),
      ),
    );
    button.addEventListener('click', () => {
      const on = button.getAttribute('aria-pressed') !== 'true';
      if (on && card.selectionBehavior === 'at-most-one') {
        for (const other of list.querySelectorAll('button.suggestion'))
          other.setAttribute('aria-pressed', 'false');
        chosen.clear();
      }
      button.setAttribute('aria-pressed', String(on));
      if (on) chosen.add(s.uuid ?? s.label);
      else chosen.delete(s.uuid ?? s.label);
      if (chosen.size > 0) {
        showFeedback(feedback, serviceId, {
          card: card.uuid,
          outcome: 'accepted',
          acceptedSuggestions: [...chosen].map((id) => ({ id })),
        });
      } else feedback.hidden = true;
    });
    list.append(
      h(
        'li',
        {},
        button,
        s.isRecommended ? h('span', { class: 'recommended', text: 'recommended' }) : null,
        actions,
      ),
    );
  }
  return list;
}

function renderOverride(
  card: Card,
  serviceId: string,
  feedback: HTMLElement,
  n: number,
): HTMLElement {
  const reasons = card.overrideReasons ?? [];
  const id = `override-${n}`;
  const select = h('select', { id });
  reasons.forEach((r, i) => select.add(new Option(r.display ?? r.code ?? '?', String(i))));
  const comment = h('input', { id: `${id}-comment`, type: 'text', maxlength: '200' });
  const dismiss = h('button', { type: 'button', class: 'dismiss' }, 'Dismiss with this reason');
  dismiss.addEventListener('click', () => {
    const r = reasons[Number(select.value)];
    if (r === undefined) return;
    const userComment = comment.value.trim();
    showFeedback(feedback, serviceId, {
      card: card.uuid,
      outcome: 'overridden',
      overrideReason: {
        reason: { code: r.code, system: r.system, display: r.display },
        ...(userComment ? { userComment } : {}),
      },
    });
  });
  return h(
    'div',
    { class: 'override', role: 'group', 'aria-label': 'Override' },
    h('label', { for: id, text: 'Override reason' }),
    select,
    h('label', { for: `${id}-comment`, text: 'Comment (optional)' }),
    comment,
    dismiss,
  );
}

function renderCard(card: Card, serviceId: string): HTMLElement {
  const n = ++cardCount;
  const indicator =
    card.indicator !== undefined && card.indicator in INDICATOR_LABEL ? card.indicator : 'info';
  const summaryId = `card-${n}-summary`;
  const feedback = h('div', { class: 'feedback', role: 'status', hidden: true });
  const el = h(
    'article',
    {
      class: `card card--${indicator}`,
      role: 'listitem',
      'aria-labelledby': summaryId,
      'data-indicator': indicator,
    },
    h(
      'header',
      { class: 'card-head' },
      h('span', { class: `indicator indicator--${indicator}`, text: INDICATOR_LABEL[indicator] }),
      h('h3', { id: summaryId, class: 'summary', text: String(card.summary ?? '') }),
    ),
  );
  if (card.detail) el.append(h('div', { class: 'detail' }, markdownNodes(card.detail)));
  if ((card.suggestions?.length ?? 0) > 0) {
    el.append(
      h('h4', {
        class: 'section',
        text:
          card.selectionBehavior === 'at-most-one'
            ? 'Suggestions (choose at most one)'
            : 'Suggestions',
      }),
      renderSuggestions(card, serviceId, feedback),
    );
  }
  if ((card.overrideReasons?.length ?? 0) > 0)
    el.append(renderOverride(card, serviceId, feedback, n));
  el.append(feedback);
  const foot = h('footer', { class: 'card-foot' });
  if (card.source)
    foot.append(
      h(
        'p',
        { class: 'source' },
        'Source: ',
        card.source.url
          ? externalLink(card.source.url, card.source.label)
          : String(card.source.label),
      ),
    );
  if ((card.links?.length ?? 0) > 0) {
    foot.append(
      h(
        'ul',
        { class: 'links', 'aria-label': 'Links' },
        (card.links ?? []).map((l) =>
          h(
            'li',
            {},
            l.type === 'smart' ? `${l.label} (SMART app: ${l.url})` : externalLink(l.url, l.label),
          ),
        ),
      ),
    );
  }
  el.append(foot);
  return el;
}

/** Replaces the shown cards (undefined: none, after an error). */
export function renderCards(
  root: HTMLElement,
  cards: readonly Card[] | undefined,
  serviceId: string,
) {
  root.replaceChildren();
  if (cards === undefined) return;
  if (cards.length === 0) {
    root.append(
      h('p', {
        class: 'no-cards',
        text: 'No card: the service has nothing to say for this patient (no vertebral findings).',
      }),
    );
    return;
  }
  for (const card of cards) root.append(renderCard(card, serviceId));
}
