/** The sign form: one control per sign of the contract, presets, and reading it back. */
import type { PlaygroundContract } from './contract.js';
import { byId, h } from './dom.js';
import { CANCER_CODE } from './fhir-request.js';

/**
 * Two typical constellations of the paper (Tables 2-5): the direction each sign points to is the
 * engine's business; these are only example inputs, checked against the contract when applied.
 */
export const PRESETS: Readonly<Record<'malignant' | 'benign', Readonly<Record<string, string>>>> = {
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

/** The level select's value for "no bodySite". */
const NO_LEVEL = '';

const controlId = (sign: string) => `sign-${sign}`;

function control(sign: string): HTMLInputElement | HTMLSelectElement {
  const el = document.getElementById(controlId(sign));
  if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) return el;
  throw new Error(`no control for ${sign}`);
}

/** Builds the level select and one control per sign. */
export function buildForm(contract: PlaygroundContract): void {
  const level = byId('level', HTMLSelectElement);
  for (const l of contract.levels) level.add(new Option(l, l, l === 'L1', l === 'L1'));
  level.add(new Option('(none: no bodySite, "unspecified" level)', NO_LEVEL));

  const signs = byId('signs');
  for (const s of contract.signs) {
    const id = controlId(s.sign);
    const label = h('label', { for: id, title: s.display }, s.label);
    let input: HTMLElement;
    if (s.kind === 'quantity') {
      label.append(` (${s.unit.display})`);
      input = h('input', {
        id,
        name: s.sign,
        type: 'number',
        inputmode: 'decimal',
        step: '0.01',
        min: '0',
        placeholder: s.unit.display,
      });
    } else {
      const select = h('select', { id, name: s.sign });
      select.add(new Option('not recorded', ''));
      if (s.kind === 'boolean') {
        select.add(new Option('yes', 'true'));
        select.add(new Option('no', 'false'));
      } else for (const v of s.values) select.add(new Option(`${v.code}: ${v.display}`, v.code));
      input = select;
    }
    signs.append(h('div', { class: 'sign' }, label, input));
  }
  byId('cancer-history-label').textContent =
    `Known cancer history (Condition ${CANCER_CODE.coding.map((c) => c.code).join(' / ')}: ${CANCER_CODE.coding[0].display.toLowerCase()})`;
}

/**
 * Sets every sign (absent: not recorded) and, when given, the level ('unspecified': none).
 * Returns the "sign=value" pairs the controls refused.
 */
export function applyValues(
  contract: PlaygroundContract,
  values: ReadonlyMap<string, string>,
  level?: string,
): string[] {
  if (level !== undefined)
    byId('level', HTMLSelectElement).value = level === 'unspecified' ? NO_LEVEL : level;
  const refused: string[] = [];
  for (const s of contract.signs) {
    const c = control(s.sign);
    const v = values.get(s.sign) ?? '';
    c.value = v;
    if (c.value !== v) {
      refused.push(`${s.sign}=${v}`);
      c.value = '';
    }
  }
  return refused;
}

export function showFormError(message: string): void {
  const el = byId('form-error');
  el.textContent = message;
  el.hidden = message === '';
}

/** The form's level and signs, or the message of the first invalid value. */
export function readForm(
  contract: PlaygroundContract,
): { level: string; values: Map<string, string>; cancerHistory: boolean } | { error: string } {
  const values = new Map<string, string>();
  for (const s of contract.signs) {
    const raw = control(s.sign).value.trim();
    if (raw === '') continue;
    if (s.kind === 'quantity') {
      const n = Number(raw);
      if (!Number.isFinite(n) || n < 0)
        return { error: `${s.label}: enter a number of ${s.unit.display} (for example 0.95).` };
    }
    values.set(s.sign, raw);
  }
  return {
    level: byId('level', HTMLSelectElement).value,
    values,
    cancerHistory: byId('cancer-history', HTMLInputElement).checked,
  };
}
