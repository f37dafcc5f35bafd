/**
 * vcf-cds playground: builds a CDS Hooks request from the chosen signs, from an example patient,
 * from a card's playground link, or without prefetch against a FHIR server, and shows the cards
 * the service returns as an EHR would. The vocabulary comes from /playground/contract.json, so the
 * page never repeats the input contract. Runs under the app's CSP (script-src 'self': this bundle).
 */
import type { PlaygroundContract } from './contract.js';
import { byId, errorText, h, uuid } from './dom.js';
import { setUpEhrMode } from './ehr-mode.js';
import { requestFromBundle, requestFromSigns, type Json } from './fhir-request.js';
import { applyValues, buildForm, PRESETS, readForm, showFormError } from './form.js';
import { parseFragment } from './fragment.js';
import { clearError, getJson, send, setStatus, showError } from './send.js';

function sendForm(contract: PlaygroundContract, note?: string): void {
  const form = readForm(contract);
  if ('error' in form) {
    showFormError(form.error);
    return;
  }
  showFormError('');
  const request = requestFromSigns(
    contract,
    form.level,
    form.values,
    form.cancerHistory,
    uuid(),
    new Date().toISOString(),
  );
  void send(request, contract.service.id, note);
}

function applyPreset(contract: PlaygroundContract, preset: Readonly<Record<string, string>>) {
  const refused = applyValues(contract, new Map(Object.entries(preset)));
  showFormError(
    refused.length > 0
      ? `Preset values not in the contract (left unset): ${refused.join(', ')}`
      : '',
  );
}

/**
 * A card's playground link: fills the level and signs in from the fragment, names whatever was
 * ignored, and sends at once. Cancer history is not in the link (signs only, nothing about the
 * patient), so the notice says to set it.
 */
function openFromFragment(contract: PlaygroundContract): void {
  const notice = byId('link-notice');
  if (location.hash.replace(/^#/, '') === '') {
    notice.hidden = true;
    return;
  }
  const parsed = parseFragment(location.hash, contract);
  applyValues(contract, parsed.signs, parsed.level ?? 'unspecified');
  byId('cancer-history', HTMLInputElement).checked = false;
  const where =
    parsed.level === undefined || parsed.level === 'unspecified' ? 'no level' : parsed.level;
  notice.replaceChildren(
    h(
      'div',
      {},
      h(
        'p',
        {},
        `Filled in from the link: ${parsed.signs.size} sign${parsed.signs.size === 1 ? '' : 's'} at ${where}. ` +
          'The link carries signs only: tick "Known cancer history" and send again if it applies.',
      ),
      parsed.ignored.length > 0
        ? [
            h('p', {}, h('strong', { text: `Ignored (${parsed.ignored.length}):` })),
            h(
              'ul',
              { class: 'ignored' },
              parsed.ignored.map((text) => h('li', { text })),
            ),
          ]
        : null,
    ),
  );
  notice.classList.toggle('notice--warning', parsed.ignored.length > 0);
  notice.hidden = false;
  sendForm(contract, 'signs from the link');
}

async function loadExample(contract: PlaygroundContract, name: string): Promise<void> {
  clearError();
  setStatus(`Loading example ${name}...`);
  let bundle: Json;
  try {
    bundle = (await getJson(`/playground/examples/${encodeURIComponent(name)}`)) as Json;
  } catch (err) {
    setStatus('The example could not be loaded.');
    showError('The example could not be loaded.', undefined, errorText(err));
    return;
  }
  const built = requestFromBundle(contract, bundle, uuid());
  if ('error' in built) {
    showError(built.error);
    return;
  }
  await send(built.request, contract.service.id, `example ${name}: ${built.note}`);
}

async function main(): Promise<void> {
  const contract = (await getJson('/playground/contract.json')) as PlaygroundContract;
  buildForm(contract);
  const { examples } = (await getJson('/playground/examples')) as { examples: string[] };
  const exampleSelect = byId('example', HTMLSelectElement);
  for (const name of examples) exampleSelect.add(new Option(name, name));

  byId('preset-malignant').addEventListener('click', () =>
    applyPreset(contract, PRESETS.malignant),
  );
  byId('preset-benign').addEventListener('click', () => applyPreset(contract, PRESETS.benign));
  byId('clear').addEventListener('click', () => applyPreset(contract, {}));
  byId('findings').addEventListener('submit', (event) => {
    event.preventDefault();
    sendForm(contract);
  });
  byId('example-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (exampleSelect.value) void loadExample(contract, exampleSelect.value);
  });
  await setUpEhrMode(contract);
  setStatus('No request sent yet.');
  window.addEventListener('hashchange', () => openFromFragment(contract));
  openFromFragment(contract);
  document.body.dataset['ready'] = 'true';
}

main().catch((err: unknown) => {
  setStatus('The playground could not start.');
  showError('The playground could not start.', undefined, errorText(err));
});
