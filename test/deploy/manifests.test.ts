/**
 * deploy/ checked as `kubectl apply -k deploy/` would take it, with no cluster and no network:
 * every manifest against its kind's Kubernetes API schema (kubernetes-models, generated from the
 * Kubernetes OpenAPI document), then what an operator relies on: HTTPS at the ingress, /metrics
 * on a port the ingress cannot reach, the replica count left to the autoscaler.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/project-root.js';

const DIR = join(projectRoot(), 'deploy');

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  [key: string]: unknown;
}

/** A model's schema check: throws naming the path and rule that fail. */
type Validator = (m: Manifest) => void;
const MODELS: Readonly<Record<string, Validator>> = {
  'apps/v1 Deployment': (m) => new Deployment(m as never).validate(),
  'autoscaling/v2 HorizontalPodAutoscaler': (m) =>
    new HorizontalPodAutoscaler(m as never).validate(),
  'v1 ConfigMap': (m) => new ConfigMap(m as never).validate(),
  'v1 Secret': (m) => new Secret(m as never).validate(),
  'v1 Service': (m) => new Service(m as never).validate(),
  'networking.k8s.io/v1 Ingress': (m) => new Ingress(m as never).validate(),
  'policy/v1 PodDisruptionBudget': (m) => new PodDisruptionBudget(m as never).validate(),
};

function load(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((d) => {
    if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0]!.message}`);
    return d.toJS() as Manifest;
  });
}

const kustomization = load('kustomization.yaml')[0] as unknown as { resources: string[] };
const applied = kustomization.resources.flatMap(load);
const one = <T>(kind: string): T & Manifest => {
  const found = applied.filter((m) => m.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0] as T & Manifest;
};

interface Port {
  name?: string;
  containerPort?: number;
  port?: number;
  targetPort?: number | string;
}
interface Container {
  ports: Port[];
  readinessProbe?: { httpGet: { port: string | number } };
  livenessProbe?: { httpGet: { port: string | number } };
  startupProbe?: { httpGet: { port: string | number } };
}
type DeploymentDoc = {
  spec: { replicas?: number; template: { spec: { containers: Container[] } } };
};

describe('deploy/ manifests', () => {
  const yamlFiles = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));

  it('kustomization.yaml applies every manifest but the Secret example, which it must never apply', () => {
    expect(kustomization.resources.sort()).toEqual(
      yamlFiles.filter((f) => f !== 'kustomization.yaml' && f !== 'secret.example.yaml').sort(),
    );
  });

  for (const file of yamlFiles.filter((f) => f !== 'kustomization.yaml')) {
    it(`${file}: valid against the Kubernetes API schema of its kind`, () => {
      for (const m of load(file)) {
        const validate = MODELS[`${m.apiVersion} ${m.kind}`];
        expect(validate, `${file}: ${m.apiVersion} ${m.kind} has no schema here`).toBeDefined();
        expect(() => validate!(m)).not.toThrow();
      }
    });
  }

  it('the schema check catches a broken manifest (a port that is not a number)', () => {
    const deployment = structuredClone(one<DeploymentDoc>('Deployment'));
    deployment.spec.template.spec.containers[0]!.ports[0]!.containerPort = 'http' as never;
    expect(() => MODELS['apps/v1 Deployment']!(deployment)).toThrow(/containerPort/);
  });

  it('no replicas in the Deployment: the HorizontalPodAutoscaler owns the count', () => {
    const hpa = one<{ spec: { scaleTargetRef: { kind: string; name: string } } }>(
      'HorizontalPodAutoscaler',
    );
    const deployment = one<DeploymentDoc>('Deployment');
    expect(hpa.spec.scaleTargetRef).toMatchObject({
      kind: 'Deployment',
      name: deployment.metadata.name,
    });
    expect(deployment.spec.replicas).toBeUndefined();
  });

  it('the Ingress serves every host over TLS, to the Service port that carries the CDS endpoints', () => {
    const ingress = one<{
      spec: {
        tls: { hosts: string[]; secretName: string }[];
        rules: {
          host: string;
          http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] };
        }[];
      };
    }>('Ingress');
    const service = one<{ spec: { ports: Port[] } }>('Service');
    const tlsHosts = ingress.spec.tls.flatMap((t) => t.hosts);
    expect(ingress.spec.tls.every((t) => t.secretName !== '')).toBe(true);
    for (const rule of ingress.spec.rules) {
      expect(tlsHosts).toContain(rule.host);
      for (const p of rule.http.paths) {
        expect(p.backend.service.name).toBe(service.metadata.name);
        expect(service.spec.ports.map((sp) => sp.name)).toContain(p.backend.service.port.name);
      }
    }
    // PUBLIC_BASE_URL (the JWT audience) is the Ingress host over https.
    const config = one<{ data: Record<string, string> }>('ConfigMap');
    expect(tlsHosts.map((h) => `https://${h}`)).toContain(config.data['PUBLIC_BASE_URL']);
  });

  it('/metrics is on a port of its own that the Service (and so the Ingress) does not publish', () => {
    const config = one<{ data: Record<string, string> }>('ConfigMap');
    const container = one<DeploymentDoc>('Deployment').spec.template.spec.containers[0]!;
    const metricsPort = Number(config.data['METRICS_PORT']);
    expect(metricsPort).not.toBe(Number(config.data['PORT']));
    expect(container.ports).toContainEqual({ name: 'metrics', containerPort: metricsPort });
    expect(container.ports).toContainEqual({
      name: 'http',
      containerPort: Number(config.data['PORT']),
    });
    const service = one<{ spec: { ports: Port[] } }>('Service');
    for (const p of service.spec.ports) {
      expect([metricsPort, 'metrics']).not.toContain(p.targetPort);
    }
  });

  it('every probe names a port the container has', () => {
    const container = one<DeploymentDoc>('Deployment').spec.template.spec.containers[0]!;
    const names = container.ports.map((p) => p.name);
    for (const probe of [
      container.readinessProbe,
      container.livenessProbe,
      container.startupProbe,
    ]) {
      expect(names).toContain(probe?.httpGet.port);
    }
  });
});
