// vcf-cds playground: builds a CDS Hooks patient-view request from the chosen signs (or from an
// example patient) and renders the cards the service returns, as an EHR would.
// The sign vocabulary comes from the server (/playground/contract.json), so this page never repeats
// the input contract. Everything is built with DOM calls (no innerHTML): text from the service is
// never parsed as HTML. Served under the app's CSP: no inline scripts, no inline event handlers.

const $ = (id) => document.getElementById(id);

const PATIENT_ID = 'playground-patient';
const USER_ID = 'Practitioner/playground-user';
const UNSPECIFIED = '';
const FULL_URL_BASE = 'https://example.org/fhir';
const HTEST = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  code: 'HTEST',
  display: 'test health data',
};

/**
 * Known cancer history (CLINICAL-SPEC section 1: an active Condition coded ICD-10 C00-C97).
 * WHO ICD-10 C79.5 is "Secondary malignant neoplasm of bone and bone marrow"; ICD-10-CM refines it
 * as C79.51 "Secondary malignant neoplasm of bone". Both codings, so either code system matches.
 */
const CANCER_CODE = {
  coding: [
    {
      system: 'http://hl7.org/fhir/sid/icd-10',
      code: 'C79.5',
      display: 'Secondary malignant neoplasm of bone and bone marrow',
    },
    {
      system: 'http://hl7.org/fhir/sid/icd-10-cm',
      code: 'C79.51',
      display: 'Secondary malignant neoplasm of bone',
    },
  ],
  text: 'Bone metastasis',
};

/**
 * Two typical constellations of the paper (Tables 2-5): the direction each sign points to is the
 * engine's business; these are only example inputs, checked against the contract when applied.
 */
const PRESETS = {
  malignant: {
    'compression-degree': 'degree-1',
    'lesion-extent': 'G4',
    'lesion-location': 'anterior-posterior-margin',
    'vertebral-contour': 'outward-bulging',
    'paravertebral-soft-tissue': 'true',
    'vertebral-vein': 'invaded',
    pedicle: 'destroyed',
    'enhancement-pattern': 'nodular',
    'dwi-signal': 'low',
    't1-low-signal': 'false',
    't2-low-signal': 'false',
    adc: '0.70',
    'ct-impression': 'malignant',
  },
  benign: {
    'compression-degree': 'degree-2',
    'lesion-extent': 'G2',
    'lesion-location': 'endplate-adjacent',
    'vertebral-contour': 'normal-or-depressed',
    'paravertebral-soft-tissue': 'false',
    'vertebral-vein': 'not-invaded',
    pedicle: 'preserved',
    'enhancement-pattern': 'flocculent',
    'dwi-signal': 'high',
    't1-low-signal': 'true',
    't2-low-signal': 'true',
    adc: '1.45',
    'ct-impression': 'benign',
  },
};

const INDICATOR_LABEL = { info: 'Info', warning: 'Warning', critical: 'Critical' };

let contract;
let cardCount = 0;

// ---------------------------------------------------------------------------------------------
// DOM helpers

/** Creates an element; `children` are nodes or strings (strings become text nodes, never HTML). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'hidden') el.hidden = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null) el.append(c);
  return el;
}

/** Only http(s) URLs become links; anything else (javascript:, data:) stays text. */
function safeUrl(url) {
  try {
    const u = new URL(String(url), location.href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function externalLink(url, label) {
  const href = safeUrl(url);
  return href
    ? h('a', { href, rel: 'noopener noreferrer', target: '_blank' }, label)
    : document.createTextNode(label);
}

/** A version 4 UUID; crypto.randomUUID needs a secure context, getRandomValues does not. */
function uuid() {
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((n) => n.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

// ---------------------------------------------------------------------------------------------
// Markdown (CommonMark/GFM subset used by card details): headings, paragraphs, GFM tables,
// nested lists, fenced code, block quotes, rules; inline code, links, bold, italics.
// Built as DOM nodes, so any HTML in the text is shown as text.

const INLINE =
  /\\([\\`*_{}[\]()#+\-.!|<>~])|(`+)([\s\S]*?[^`])\2(?!`)|\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|<(https?:\/\/[^>\s]+)>|\*\*(?=\S)([\s\S]*?\S)\*\*|__(?=\S)([\s\S]*?\S)__(?!\w)|\*(?=[^\s*])([\s\S]*?[^\s*])\*|(?<![\p{L}\p{N}_])_(?=[^\s_])([\s\S]*?[^\s_])_(?![\p{L}\p{N}_])/u;

function appendInline(parent, text) {
  let rest = text;
  while (rest.length > 0) {
    const m = INLINE.exec(rest);
    if (!m) {
      parent.append(rest);
      return;
    }
    if (m.index > 0) parent.append(rest.slice(0, m.index));
    const [whole, escaped, , code, linkText, linkUrl, autolink, bold1, bold2, em1, em2] = m;
    if (escaped !== undefined) parent.append(escaped);
    else if (code !== undefined) parent.append(h('code', { text: code.replace(/^ (.*) $/, '$1') }));
    else if (linkText !== undefined) {
      const href = safeUrl(linkUrl);
      const a = href ? h('a', { href, rel: 'noopener noreferrer', target: '_blank' }) : h('span');
      appendInline(a, linkText);
      parent.append(a);
    } else if (autolink !== undefined) parent.append(externalLink(autolink, autolink));
    else if (bold1 !== undefined || bold2 !== undefined) {
      const strong = h('strong');
      appendInline(strong, bold1 ?? bold2);
      parent.append(strong);
    } else {
      const em = h('em');
      appendInline(em, em1 ?? em2);
      parent.append(em);
    }
    rest = rest.slice(m.index + whole.length);
  }
}

const TABLE_SEPARATOR = /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^ {0,3}(```+|~~~+)/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;

function splitRow(line) {
  const cells = [];
  let cur = '';
  const s = line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (s[i] === '|') {
      cells.push(cur.trim());
      cur = '';
    } else cur += s[i];
  }
  cells.push(cur.trim());
  return cells;
}

function renderTable(rows) {
  const head = splitRow(rows[0]);
  const align = splitRow(rows[1]).map((c) =>
    c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : undefined,
  );
  const cell = (tag, text, i) => {
    const el = h(tag, {
      class: align[i] ? `align-${align[i]}` : undefined,
      scope: tag === 'th' ? 'col' : undefined,
    });
    appendInline(el, text);
    return el;
  };
  const body = rows.slice(2).map((r) => {
    const cells = splitRow(r);
    return h(
      'tr',
      {},
      head.map((_, i) => cell('td', cells[i] ?? '', i)),
    );
  });
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          head.map((c, i) => cell('th', c, i)),
        ),
      ),
      h('tbody', {}, body),
    ),
  );
}

/** Lists nested by indentation: each item deeper than the one before opens a sub-list in it. */
function renderList(items) {
  const root = { indent: -1, el: null, children: [] };
  const stack = [root];
  for (const item of items) {
    while (stack.length > 1 && item.indent <= stack[stack.length - 1].indent) stack.pop();
    const node = { ...item, children: [] };
    stack[stack.length - 1].children.push(node);
    stack.push(node);
  }
  const build = (nodes) => {
    const ordered = nodes[0]?.ordered;
    return h(
      ordered ? 'ol' : 'ul',
      {},
      nodes.map((n) => {
        const li = h('li');
        appendInline(li, n.text);
        if (n.children.length > 0) li.append(build(n.children));
        return li;
      }),
    );
  };
  return build(root.children);
}

/** Renders markdown into a fragment; `minHeading` keeps headings below the card's own heading. */
function renderMarkdown(md, minHeading = 4) {
  const out = document.createDocumentFragment();
  const lines = String(md).replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  const isBlockStart = (line, next) =>
    line.trim() === '' ||
    HEADING.test(line) ||
    FENCE.test(line) ||
    RULE.test(line) ||
    LIST_ITEM.test(line) ||
    /^\s*>/.test(line) ||
    (line.includes('|') && next !== undefined && TABLE_SEPARATOR.test(next) && next.includes('-'));
  while (i < lines.length) {
    const line = lines[i];
    const next = lines[i + 1];
    let m;
    if (line.trim() === '') {
      i++;
    } else if ((m = FENCE.exec(line))) {
      const fence = m[1];
      const code = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence)) code.push(lines[i++]);
      i++;
      out.append(h('pre', {}, h('code', { text: code.join('\n') })));
    } else if ((m = HEADING.exec(line))) {
      const level = Math.min(6, Math.max(minHeading, m[1].length));
      const el = h(`h${level}`);
      appendInline(el, m[2]);
      out.append(el);
      i++;
    } else if (RULE.test(line)) {
      out.append(h('hr'));
      i++;
    } else if (
      line.includes('|') &&
      next !== undefined &&
      TABLE_SEPARATOR.test(next) &&
      next.includes('-')
    ) {
      const rows = [line, next];
      i += 2;
      while (i < lines.length && lines[i].trim() !== '' && lines[i].includes('|'))
        rows.push(lines[i++]);
      out.append(renderTable(rows));
    } else if (LIST_ITEM.test(line)) {
      const items = [];
      while (i < lines.length && (m = LIST_ITEM.exec(lines[i]))) {
        const item = {
          indent: m[1].replace(/\t/g, '    ').length,
          ordered: /\d/.test(m[2]),
          text: m[3],
        };
        i++;
        // Lazy continuation lines belong to the item.
        while (
          i < lines.length &&
          lines[i].trim() !== '' &&
          !LIST_ITEM.test(lines[i]) &&
          !isBlockStart(lines[i], lines[i + 1])
        ) {
          item.text += ' ' + lines[i++].trim();
        }
        items.push(item);
      }
      out.append(renderList(items));
    } else if (/^\s*>/.test(line)) {
      const quoted = [];
      while (i < lines.length && /^\s*>/.test(lines[i]))
        quoted.push(lines[i++].replace(/^\s*> ?/, ''));
      out.append(h('blockquote', {}, renderMarkdown(quoted.join('\n'), minHeading)));
    } else {
      const para = [line.trim()];
      i++;
      while (i < lines.length && !isBlockStart(lines[i], lines[i + 1]))
        para.push(lines[i++].trim());
      const p = h('p');
      appendInline(p, para.join(' '));
      out.append(p);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The form

function signControlId(sign) {
  return `sign-${sign}`;
}

function buildForm() {
  const level = $('level');
  for (const l of contract.levels) level.add(new Option(l, l, l === 'L1', l === 'L1'));
  level.add(new Option('(none: no bodySite, "unspecified" level)', UNSPECIFIED));

  const signs = $('signs');
  for (const s of contract.signs) {
    const id = signControlId(s.sign);
    const label = h('label', { for: id, title: s.display }, s.label);
    let control;
    if (s.kind === 'quantity') {
      label.append(` (${s.unit.display})`);
      control = h('input', {
        id,
        name: s.sign,
        type: 'number',
        inputmode: 'decimal',
        step: '0.01',
        min: '0',
        placeholder: s.unit.display,
      });
    } else {
      control = h('select', { id, name: s.sign });
      control.add(new Option('not recorded', ''));
      const values =
        s.kind === 'boolean'
          ? [
              { code: 'true', display: 'yes' },
              { code: 'false', display: 'no' },
            ]
          : s.values;
      for (const v of values)
        control.add(
          new Option(s.kind === 'boolean' ? v.display : `${v.code}: ${v.display}`, v.code),
        );
    }
    signs.append(h('div', { class: 'sign' }, label, control));
  }
  $('cancer-history-label').textContent =
    `Known cancer history (active Condition ${CANCER_CODE.coding
      .map((c) => c.code)
      .join(' / ')}: ${CANCER_CODE.coding[0].display.toLowerCase()})`;
  $('endpoint').textContent = `POST /cds-services/${contract.service.id}`;
}

function applyPreset(values) {
  const unknown = [];
  for (const s of contract.signs) {
    const control = $(signControlId(s.sign));
    const v = values[s.sign] ?? '';
    control.value = v;
    if (control.value !== v) {
      unknown.push(`${s.sign}=${v}`);
      control.value = '';
    }
  }
  showFormError(
    unknown.length > 0
      ? `Preset values not in the contract (left unset): ${unknown.join(', ')}`
      : '',
  );
}

function showFormError(message) {
  $('form-error').textContent = message;
  $('form-error').hidden = message === '';
}

// ---------------------------------------------------------------------------------------------
// FHIR resources and the CDS Hooks request

function observation(s, raw, levelCode, now) {
  const obs = {
    resourceType: 'Observation',
    id: `playground-${levelCode || 'unspecified'}-${s.sign}`,
    meta: { tag: [HTEST] },
    status: 'final',
    category: [
      {
        coding: [
          { system: contract.systems.observationCategory, code: 'imaging', display: 'Imaging' },
        ],
      },
    ],
    code: {
      coding: [{ system: contract.systems.finding, code: s.sign, display: s.display }],
      text: s.label,
    },
    subject: { reference: `Patient/${PATIENT_ID}` },
    effectiveDateTime: now,
    issued: now,
  };
  if (s.kind === 'quantity') {
    const value = Number(raw);
    obs.valueQuantity = {
      value,
      unit: s.unit.code,
      system: contract.systems.ucum,
      code: s.unit.code,
    };
  } else if (s.kind === 'boolean') {
    obs.valueBoolean = raw === 'true';
  } else {
    const v = s.values.find((x) => x.code === raw);
    obs.valueCodeableConcept = {
      coding: [{ system: contract.systems.value, code: raw, display: v?.display ?? raw }],
    };
  }
  if (levelCode !== UNSPECIFIED) {
    obs.bodySite = {
      coding: [
        { system: contract.systems.level, code: levelCode, display: `${levelCode} vertebra` },
      ],
    };
  }
  return obs;
}

/** A search result Bundle as a FHIR server would return it (FHIR JSON has no empty arrays). */
function searchset(entries) {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: entries.length,
    ...(entries.length > 0
      ? {
          entry: entries.map(({ resource, fullUrl }) => ({
            fullUrl: fullUrl ?? `${FULL_URL_BASE}/${resource.resourceType}/${resource.id}`,
            resource,
            search: { mode: 'match' },
          })),
        }
      : {}),
  };
}

function hookRequest(patientId, prefetch) {
  return {
    hook: contract.service.hook,
    hookInstance: uuid(),
    context: { userId: USER_ID, patientId },
    prefetch,
  };
}

/** The request for the form's level, or an error message. */
function requestFromForm() {
  const levelCode = $('level').value;
  const now = new Date().toISOString();
  const observations = [];
  for (const s of contract.signs) {
    const raw = $(signControlId(s.sign)).value.trim();
    if (raw === '') continue;
    if (s.kind === 'quantity') {
      const value = Number(raw);
      if (!Number.isFinite(value) || value < 0)
        return { error: `${s.label}: enter a number of ${s.unit.display} (for example 0.95).` };
    }
    observations.push(observation(s, raw, levelCode, now));
  }
  const conditions = $('cancer-history').checked
    ? [
        {
          resourceType: 'Condition',
          id: 'playground-cancer-history',
          meta: { tag: [HTEST] },
          clinicalStatus: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
                code: 'active',
                display: 'Active',
              },
            ],
          },
          verificationStatus: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
                code: 'confirmed',
                display: 'Confirmed',
              },
            ],
          },
          category: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/condition-category',
                  code: 'problem-list-item',
                  display: 'Problem List Item',
                },
              ],
            },
          ],
          code: CANCER_CODE,
          subject: { reference: `Patient/${PATIENT_ID}` },
          recordedDate: now.slice(0, 10),
        },
      ]
    : [];
  const patient = {
    resourceType: 'Patient',
    id: PATIENT_ID,
    meta: { tag: [HTEST] },
    name: [{ text: 'Playground Test-Patient' }],
    birthDate: '1955-06-15',
  };
  return {
    request: hookRequest(PATIENT_ID, {
      patient,
      findings: searchset(observations.map((resource) => ({ resource }))),
      conditions: searchset(conditions.map((resource) => ({ resource }))),
    }),
  };
}

/**
 * An example transaction Bundle as prefetch: the Patient most Observations are about, every
 * Observation (those of other subjects too: the service must set them aside) and every Condition.
 */
function requestFromBundle(bundle) {
  const entries = (bundle.entry ?? []).filter((e) => e && e.resource && e.resource.resourceType);
  const of = (type) =>
    entries
      .filter((e) => e.resource.resourceType === type)
      .map(({ resource, fullUrl }) => ({ resource, fullUrl }));
  const patients = of('Patient').map((e) => e.resource);
  const observations = of('Observation');
  const votes = new Map();
  for (const { resource } of observations) {
    const ref = resource.subject?.reference;
    if (typeof ref === 'string') votes.set(ref, (votes.get(ref) ?? 0) + 1);
  }
  const patient = [...patients].sort(
    (a, b) => (votes.get(`Patient/${b.id}`) ?? 0) - (votes.get(`Patient/${a.id}`) ?? 0),
  )[0];
  if (!patient) return { error: 'The example has no Patient.' };
  return {
    request: hookRequest(patient.id, {
      patient,
      findings: searchset(observations),
      conditions: searchset(of('Condition')),
    }),
    note: `patient ${patient.id}, ${observations.length} Observation(s), ${of('Condition').length} Condition(s)`,
  };
}

// ---------------------------------------------------------------------------------------------
// Talking to the service

function setStatus(text) {
  $('status').textContent = text;
}

function clearError() {
  $('error').replaceChildren();
  $('error').hidden = true;
}

/** Shows an error, with the OperationOutcome's issues when the service sent one. */
function showError(title, body, fallbackText) {
  const items = [];
  if (body && body.resourceType === 'OperationOutcome' && Array.isArray(body.issue)) {
    for (const issue of body.issue) {
      const li = h(
        'li',
        {},
        h('span', {
          class: 'issue-code',
          text: `${issue.severity ?? 'error'} (${issue.code ?? 'unknown'})`,
        }),
        ': ',
        String(issue.diagnostics ?? issue.details?.text ?? 'no details'),
      );
      const where = [...(issue.expression ?? []), ...(issue.location ?? [])];
      if (where.length > 0)
        li.append(' ', h('span', { class: 'issue-where', text: `at ${where.join(', ')}` }));
      items.push(li);
    }
  } else if (fallbackText) {
    items.push(h('li', { text: fallbackText.slice(0, 500) }));
  }
  $('error').replaceChildren(
    h('p', {}, h('strong', { text: title })),
    ...(items.length > 0 ? [h('ul', {}, items)] : []),
  );
  $('error').hidden = false;
}

async function send(request, note) {
  clearError();
  $('request').textContent = JSON.stringify(request, null, 2);
  $('response').textContent = '(waiting)';
  setStatus('Sending...');
  const started = performance.now();
  let response;
  try {
    response = await fetch(`/cds-services/${encodeURIComponent(contract.service.id)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(request),
    });
  } catch (err) {
    setStatus('The request failed.');
    showError('The service could not be reached.', undefined, String(err?.message ?? err));
    renderCards(undefined);
    return;
  }
  const ms = Math.round(performance.now() - started);
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  $('response').textContent =
    body === undefined ? text || '(empty body)' : JSON.stringify(body, null, 2);
  if (!response.ok) {
    setStatus(`HTTP ${response.status} in ${ms} ms: no cards.`);
    showError(
      `The service answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
      body,
      text || undefined,
    );
    renderCards(undefined);
    return;
  }
  if (!body || !Array.isArray(body.cards)) {
    setStatus(`HTTP ${response.status} in ${ms} ms.`);
    showError('The response has no cards array.', body, text);
    renderCards(undefined);
    return;
  }
  const n = body.cards.length;
  setStatus(
    `HTTP ${response.status} in ${ms} ms: ${n} card${n === 1 ? '' : 's'}${note ? ` (${note})` : ''}.`,
  );
  renderCards(body.cards);
}

// ---------------------------------------------------------------------------------------------
// Cards, as an EHR shows them

/** The feedback an EHR would POST to {service}/feedback; shown, not sent (no test data in the store). */
function showFeedback(container, item) {
  const body = { feedback: [{ ...item, outcomeTimestamp: new Date().toISOString() }] };
  container.replaceChildren(
    h(
      'p',
      {},
      item.outcome === 'accepted' ? 'Accepted. ' : 'Overridden. ',
      `An EHR would now POST this to /cds-services/${contract.service.id}/feedback (the playground does not send it):`,
    ),
    h('pre', { tabindex: '0', text: JSON.stringify(body, null, 2) }),
  );
  container.hidden = false;
}

function renderSuggestions(card, feedback) {
  const list = h('ul', { class: 'suggestions', 'aria-label': 'Suggestions' });
  const chosen = new Set();
  for (const s of card.suggestions) {
    const button = h(
      'button',
      { type: 'button', class: 'suggestion', 'aria-pressed': 'false' },
      s.label,
    );
    const actions = h(
      'ul',
      { class: 'suggestion-actions' },
      (s.actions ?? []).map((a) => {
        const li = h(
          'li',
          {},
          h('span', { class: 'action-type', text: a.type }),
          ' ',
          String(a.description ?? ''),
        );
        if (a.resource)
          li.append(
            h(
              'details',
              {},
              h('summary', { text: `${a.resource.resourceType ?? 'Resource'} to ${a.type}` }),
              h('pre', { tabindex: '0', text: JSON.stringify(a.resource, null, 2) }),
            ),
          );
        return li;
      }),
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
        showFeedback(feedback, {
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

function renderOverride(card, feedback, n) {
  const id = `override-${n}`;
  const select = h(
    'select',
    { id },
    card.overrideReasons.map((r, i) => new Option(r.display, String(i))),
  );
  const comment = h('input', { id: `${id}-comment`, type: 'text', maxlength: '200' });
  const dismiss = h('button', { type: 'button', class: 'dismiss' }, 'Dismiss with this reason');
  dismiss.addEventListener('click', () => {
    const r = card.overrideReasons[Number(select.value)];
    showFeedback(feedback, {
      card: card.uuid,
      outcome: 'overridden',
      overrideReason: {
        reason: { code: r.code, system: r.system, display: r.display },
        ...(comment.value.trim() ? { userComment: comment.value.trim() } : {}),
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

function renderCard(card) {
  const n = ++cardCount;
  const indicator = INDICATOR_LABEL[card.indicator] ? card.indicator : 'info';
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
  if (card.detail) el.append(h('div', { class: 'detail' }, renderMarkdown(card.detail)));
  if (Array.isArray(card.suggestions) && card.suggestions.length > 0) {
    el.append(
      h('h4', {
        class: 'section',
        text:
          card.selectionBehavior === 'at-most-one'
            ? 'Suggestions (choose at most one)'
            : 'Suggestions',
      }),
      renderSuggestions(card, feedback),
    );
  }
  if (Array.isArray(card.overrideReasons) && card.overrideReasons.length > 0)
    el.append(renderOverride(card, feedback, n));
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
  if (Array.isArray(card.links) && card.links.length > 0) {
    foot.append(
      h(
        'ul',
        { class: 'links', 'aria-label': 'Links' },
        card.links.map((l) =>
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

function renderCards(cards) {
  const root = $('cards');
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
  for (const card of cards) root.append(renderCard(card));
}

// ---------------------------------------------------------------------------------------------

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

async function loadExample(name) {
  clearError();
  setStatus(`Loading example ${name}...`);
  let bundle;
  try {
    bundle = await getJson(`/playground/examples/${encodeURIComponent(name)}`);
  } catch (err) {
    setStatus('The example could not be loaded.');
    showError('The example could not be loaded.', undefined, String(err?.message ?? err));
    return;
  }
  const built = requestFromBundle(bundle);
  if (built.error) {
    showError(built.error);
    return;
  }
  await send(built.request, `example ${name}: ${built.note}`);
}

async function main() {
  contract = await getJson('/playground/contract.json');
  buildForm();
  const { examples } = await getJson('/playground/examples');
  for (const name of examples) $('example').add(new Option(name, name));

  $('preset-malignant').addEventListener('click', () => applyPreset(PRESETS.malignant));
  $('preset-benign').addEventListener('click', () => applyPreset(PRESETS.benign));
  $('clear').addEventListener('click', () => applyPreset({}));
  $('findings').addEventListener('submit', (event) => {
    event.preventDefault();
    const built = requestFromForm();
    showFormError(built.error ?? '');
    if (built.request) void send(built.request);
  });
  $('example-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const name = $('example').value;
    if (name) void loadExample(name);
  });
  setStatus('No request sent yet.');
  document.body.dataset.ready = 'true';
}

main().catch((err) => {
  setStatus('The playground could not start.');
  showError('The playground could not start.', undefined, String(err?.message ?? err));
});
