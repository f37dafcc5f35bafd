/**
 * Configuration (ARCHITECTURE.md: read once, validated, every problem named, start-up stops on
 * any). The README's "Settings" table lists each key tested here.
 */
import { describe, expect, it } from 'vitest';
import { loadClinicalSettings, loadConfig, startupWarnings } from '../../src/config/index.js';
import { DEFAULT_ENGINE_SETTINGS } from '../../src/engine/index.js';

const SANDBOX_ISSUERS = JSON.stringify([
  {
    iss: 'https://sandbox.cds-hooks.org',
    jku: ['https://sandbox.cds-hooks.org/.well-known/jwks.json'],
    algorithms: ['ES384'],
  },
]);

const KEY = Buffer.alloc(32, 9).toString('base64');

describe('loadConfig', () => {
  it('no environment: valid embedded defaults (port 3000, SQLite under ./data, auth off, published clinical defaults)', () => {
    const { config, errors } = loadConfig({});
    expect(errors).toEqual([]);
    expect(config.port).toBe(3000);
    expect(config.store).toEqual({ dataDir: './data', deadlineMs: 3000 });
    expect(config.auth).toEqual({ enabled: false, issuers: [] });
    expect(config.engine).toEqual(DEFAULT_ENGINE_SETTINGS);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('PORT overrides; DATABASE_URL selects PostgreSQL', () => {
    const { config } = loadConfig({
      PORT: '8081',
      DATABASE_URL: 'postgres://u@db/vcf',
      AUDIT_ID_KEY: KEY,
    });
    expect(config.port).toBe(8081);
    expect(config.store).toEqual({ postgresUrl: 'postgres://u@db/vcf', deadlineMs: 3000 });
  });

  it('names every bad key at once', () => {
    const { errors } = loadConfig({
      PORT: 'eighty',
      VCF_PRETEST_PROBABILITY: '1.5',
      VCF_USE_DWI: 'maybe',
      LOG_LEVEL: 'loud',
      BODY_LIMIT: 'huge',
      DATABASE_URL: 'mysql://x',
      VCF_CANCER_SNOMED_CODES: '363346000,cancer',
    });
    const text = errors.join('\n');
    for (const key of [
      'PORT',
      'VCF_PRETEST_PROBABILITY',
      'VCF_USE_DWI',
      'LOG_LEVEL',
      'BODY_LIMIT',
      'DATABASE_URL',
      'VCF_CANCER_SNOMED_CODES',
    ]) {
      expect(text).toContain(key);
    }
  });

  it('thresholds are checked against each other', () => {
    const { errors } = loadConfig({ VCF_BENIGN_THRESHOLD: '0.95' });
    expect(errors.join()).toMatch(/benignThreshold must be lower than malignantThreshold/);
  });

  it('a site ADC rule: all four keys together, or an error', () => {
    const partial = loadConfig({ VCF_ADC_CUTOFF: '1.14' });
    expect(partial.errors.join()).toMatch(/must be set together/);
    const full = loadConfig({
      VCF_ADC_CUTOFF: '1.14',
      VCF_ADC_SENSITIVITY: '0.8',
      VCF_ADC_SPECIFICITY: '0.9',
      VCF_ADC_SOURCE: 'Park et al., Korean J Radiol 2016 (site protocol b 0/400/1000)',
    });
    expect(full.errors).toEqual([]);
    expect(full.config.engine.adc).toMatchObject({
      cutoff: 1.14,
      sensitivity: 0.8,
      specificity: 0.9,
    });
  });

  it('client auth on: needs valid CDS_CLIENT_ISSUERS and PUBLIC_BASE_URL', () => {
    expect(loadConfig({ CDS_CLIENT_AUTH: 'true' }).errors.join('\n')).toMatch(
      /CDS_CLIENT_ISSUERS is not set[\s\S]*PUBLIC_BASE_URL is not set/,
    );
    const bad = loadConfig({
      CDS_CLIENT_AUTH: 'true',
      PUBLIC_BASE_URL: 'https://cds.example.org',
      CDS_CLIENT_ISSUERS: '[{"iss":"x"}]',
    });
    expect(bad.errors.join()).toMatch(/CDS_CLIENT_ISSUERS\[0\] \("x"\): needs a key source/);
    const good = loadConfig({
      CDS_CLIENT_AUTH: 'true',
      PUBLIC_BASE_URL: 'https://cds.example.org/',
      CDS_CLIENT_ISSUERS: SANDBOX_ISSUERS,
    });
    expect(good.errors).toEqual([]);
    expect(good.config.publicBaseUrl).toBe('https://cds.example.org');
    expect(good.config.auth.issuers.map((i) => i.iss)).toEqual(['https://sandbox.cds-hooks.org']);
  });

  it('PLAYGROUND=false turns the page off', () => {
    expect(loadConfig({}).config.playground).toBe(true);
    expect(loadConfig({ PLAYGROUND: 'false' }).config.playground).toBe(false);
  });

  it('SNOMED CT procedure concepts: none by default (no verified id), a site list when set', () => {
    const { config } = loadConfig({});
    expect(config.augmentationSnomedCodes).toEqual([]);
    expect(config.biopsySnomedCodes).toEqual([]);
    const site = loadConfig({ VCF_AUGMENTATION_SNOMED_CODES: '123456001, 654321001' });
    expect(site.config.augmentationSnomedCodes).toEqual(['123456001', '654321001']);
  });

  it('the clinical settings alone (the command line) ignore server keys', () => {
    const { errors } = loadClinicalSettings({ PORT: 'eighty', VCF_USE_DWI: 'maybe' });
    expect(errors).toEqual(['VCF_USE_DWI="maybe": expected true or false']);
  });

  it('VCF_ADC_MINIMUM: no default; a site value between 0 and free water at 37 C', () => {
    expect(loadConfig({}).config.adcMinimum).toBeUndefined();
    expect(loadConfig({ VCF_ADC_MINIMUM: '0.3' }).config.adcMinimum).toBe(0.3);
    for (const bad of ['0', '3.5', 'low']) {
      expect(loadConfig({ VCF_ADC_MINIMUM: bad }).errors[0]).toMatch(/^VCF_ADC_MINIMUM=/);
    }
  });

  it('client auth off: the issuer list is not read', () => {
    expect(loadConfig({ CDS_CLIENT_ISSUERS: 'nonsense' }).errors).toEqual([]);
  });

  it('AUDIT_ID_KEY: unset with SQLite (a key kept in DATA_DIR), decoded when set', () => {
    expect(loadConfig({}).config.auditIdKey).toBeUndefined();
    const { config, errors } = loadConfig({ AUDIT_ID_KEY: KEY });
    expect(errors).toEqual([]);
    expect(Buffer.from(config.auditIdKey!).equals(Buffer.alloc(32, 9))).toBe(true);
  });

  it('AUDIT_ID_KEY is required with DATABASE_URL (replicas must agree), and named', () => {
    const { errors } = loadConfig({ DATABASE_URL: 'postgres://u@db/vcf' });
    expect(errors).toEqual([expect.stringMatching(/^AUDIT_ID_KEY is required with DATABASE_URL/)]);
  });

  it('a short or malformed AUDIT_ID_KEY is refused without echoing the secret', () => {
    for (const value of ['too-short-secret-value', Buffer.alloc(16).toString('hex')]) {
      const { errors } = loadConfig({ AUDIT_ID_KEY: value });
      expect(errors.join()).toMatch(/^AUDIT_ID_KEY: /);
      expect(errors.join()).not.toContain(value);
    }
  });

  it('FHIR_MAX_RESPONSE_BYTES: 5 MiB by default (as BODY_LIMIT), a positive integer when set', () => {
    expect(loadConfig({}).config.fhir.maxResponseBytes).toBe(5 * 1024 * 1024);
    expect(loadConfig({ FHIR_MAX_RESPONSE_BYTES: '1000000' }).config.fhir.maxResponseBytes).toBe(
      1_000_000,
    );
    expect(loadConfig({ FHIR_MAX_RESPONSE_BYTES: '5mb' }).errors.join()).toMatch(
      /FHIR_MAX_RESPONSE_BYTES/,
    );
  });

  it('FHIR_SERVER_ALLOWLIST: unset = any fhirServer; set = origins, normalised; a path or junk refused', () => {
    expect(loadConfig({}).config.fhir.allowedOrigins).toBeUndefined();
    const { config, errors } = loadConfig({
      FHIR_SERVER_ALLOWLIST: 'https://EHR.example.org:443/, http://127.0.0.1:8080',
    });
    expect(errors).toEqual([]);
    expect(config.fhir.allowedOrigins).toEqual([
      'https://ehr.example.org',
      'http://127.0.0.1:8080',
    ]);
    for (const bad of ['https://ehr.example.org/fhir', 'ftp://x', 'ehr.example.org', ' , ']) {
      expect(loadConfig({ FHIR_SERVER_ALLOWLIST: bad }).errors.join(), bad).toMatch(
        /^FHIR_SERVER_ALLOWLIST/,
      );
    }
  });

  it('TRUST_PROXY: off, a hop count, or proxy addresses / CIDRs; "true" (trust every hop) refused, named', () => {
    expect(loadConfig({}).config.http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).config.http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).config.http.trustProxy).toBe(2);
    expect(
      loadConfig({ TRUST_PROXY: '10.0.0.0/8, fd00::/8, 192.168.1.10, loopback' }).config.http
        .trustProxy,
    ).toEqual(['10.0.0.0/8', 'fd00::/8', '192.168.1.10', 'loopback']);
    expect(loadConfig({ TRUST_PROXY: 'true' }).errors.join()).toMatch(
      /^TRUST_PROXY=true would trust every X-Forwarded-For entry/,
    );
    for (const bad of ['10.0.0.0/33', 'proxy.local', '99', '1.2.3.4/8/1']) {
      expect(loadConfig({ TRUST_PROXY: bad }).errors.join(), bad).toMatch(/^TRUST_PROXY=/);
    }
  });

  it('STORE_DEADLINE_MS: 3 s by default, 100 ms to 60 s when set', () => {
    expect(loadConfig({ STORE_DEADLINE_MS: '1500' }).config.store.deadlineMs).toBe(1500);
    for (const bad of ['0', '99', '60001', '2.5', 'soon']) {
      expect(loadConfig({ STORE_DEADLINE_MS: bad }).errors.join(), bad).toMatch(
        /^STORE_DEADLINE_MS=/,
      );
    }
  });

  it('rate limits: per client and per address; the older single setting sets both, with a warning', () => {
    expect(loadConfig({}).config.http.rateLimit).toEqual({
      clientPerMinute: 30_000,
      addressPerMinute: 6_000,
      legacySetting: false,
    });
    const own = loadConfig({
      RATE_LIMIT_CLIENT_PER_MINUTE: '90000',
      RATE_LIMIT_ADDRESS_PER_MINUTE: '300',
    }).config;
    expect(own.http.rateLimit).toMatchObject({ clientPerMinute: 90_000, addressPerMinute: 300 });
    const legacy = loadConfig({ RATE_LIMIT_PER_MINUTE: '600' }).config;
    expect(legacy.http.rateLimit).toEqual({
      clientPerMinute: 600,
      addressPerMinute: 600,
      legacySetting: true,
    });
    expect(startupWarnings(legacy)).toContainEqual(
      expect.stringMatching(/^RATE_LIMIT_PER_MINUTE is set: it now sets both/),
    );
    expect(loadConfig({ RATE_LIMIT_CLIENT_PER_MINUTE: '0' }).errors).toHaveLength(1);
  });

  it('warns at start while VCF_CANCER_SNOMED_CODES is the single default concept', () => {
    expect(startupWarnings(loadConfig({}).config)).toContainEqual(
      expect.stringMatching(
        /VCF_CANCER_SNOMED_CODES .*cancer history coded only in SNOMED CT is recognised only for the configured concepts/,
      ),
    );
    const site = loadConfig({
      VCF_CANCER_SNOMED_CODES: '363346000,254837009',
      VCF_AUGMENTATION_SNOMED_CODES: '112233445',
      VCF_BIOPSY_SNOMED_CODES: '112233446',
    }).config;
    expect(startupWarnings(site)).toEqual([]);
  });

  it('warns at start while no SNOMED CT augmentation or biopsy concept is configured', () => {
    const warnings = startupWarnings(loadConfig({}).config);
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /VCF_AUGMENTATION_SNOMED_CODES is empty: .*SNOMED CT code only .*not checked/,
      ),
    );
    expect(warnings).toContainEqual(
      expect.stringMatching(/VCF_BIOPSY_SNOMED_CODES is empty: .*SNOMED CT code only/),
    );
    const site = loadConfig({ VCF_AUGMENTATION_SNOMED_CODES: '112233445' }).config;
    expect(startupWarnings(site).some((w) => w.includes('VCF_AUGMENTATION'))).toBe(false);
  });
});
