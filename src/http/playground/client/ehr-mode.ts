/**
 * "As an EHR": a hook called WITHOUT prefetch, the service reading the patient's data from a FHIR
 * server itself (DECISIONS.md: the local sandbox of `npm run sandbox` by default). The services
 * and hooks offered come from this service's discovery document, so the page follows its ids.
 */
import type { PlaygroundContract } from './contract.js';
import { byId, uuid } from './dom.js';
import { requestWithoutPrefetch } from './fhir-request.js';
import { getJson, send, showError } from './send.js';

interface DiscoveredService {
  readonly id: string;
  readonly hook: string;
  readonly title?: string;
}

const ORDER_HOOKS = new Set(['order-select', 'order-sign']);

async function discover(): Promise<DiscoveredService[]> {
  const body = (await getJson('/cds-services')) as { services?: unknown };
  return (Array.isArray(body.services) ? body.services : []).filter(
    (s): s is DiscoveredService =>
      typeof (s as DiscoveredService).id === 'string' &&
      typeof (s as DiscoveredService).hook === 'string',
  );
}

export async function setUpEhrMode(contract: PlaygroundContract): Promise<void> {
  const form = byId('ehr-form', HTMLFormElement);
  const server = byId('ehr-fhir-server', HTMLInputElement);
  const patient = byId('ehr-patient', HTMLInputElement);
  const service = byId('ehr-service', HTMLSelectElement);
  const level = byId('ehr-level', HTMLSelectElement);
  const biopsy = byId('ehr-biopsy', HTMLInputElement);
  const orderFields = byId('ehr-order');
  server.value = contract.ehr.fhirServer;
  patient.value = contract.ehr.patientId;
  for (const l of contract.levels) level.add(new Option(l, l, l === 'L1', l === 'L1'));

  const services = await discover();
  services.forEach((s, i) =>
    service.add(new Option(`${s.hook}: ${s.id}`, String(i), i === 0, i === 0)),
  );
  const chosen = () => services[Number(service.value)];
  const showOrderFields = () => {
    orderFields.hidden = !ORDER_HOOKS.has(chosen()?.hook ?? '');
  };
  service.addEventListener('change', showOrderFields);
  showOrderFields();

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const s = chosen();
    const fhirServer = server.value.trim().replace(/\/+$/, '');
    const patientId = patient.value.trim();
    if (s === undefined || !/^https?:\/\/\S+$/.test(fhirServer) || patientId === '') {
      showError('Give an http(s) FHIR server URL, a patient id and a service.');
      return;
    }
    const request = requestWithoutPrefetch(
      contract,
      s.hook,
      fhirServer,
      patientId,
      { level: level.value, withBiopsy: biopsy.checked },
      uuid(),
    );
    void send(request, s.id, `${s.hook} without prefetch, data from ${fhirServer}`);
  });
}
