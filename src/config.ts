/**
 * Configuration: read once from the environment at start, validated, frozen, passed down.
 * Nothing else reads process.env (ARCHITECTURE.md). Every key is listed in the README.
 */
import { DEFAULT_ENGINE_SETTINGS, settingsErrors, type EngineSettings } from './engine/index.js';
import { parseIssuers, type TrustedIssuer } from './http/client-issuers.js';
import { CANCER_SNOMED_CODES_DEFAULT } from './terminology/index.js';

export interface Config {
  readonly port: number;
  readonly host: string | undefined;
  /** Public URL of this service, e.g. https://cds.example.org (JWT `aud`); derived per request if unset. */
  readonly publicBaseUrl: string | undefined;
  readonly engine: EngineSettings;
  /** SNOMED CT codes that mark a Condition as malignant neoplasm (besides ICD-10 C00-C97). */
  readonly cancerSnomedCodes: readonly string[];
  /**
   * SNOMED CT concepts the order hooks treat as vertebral augmentation / vertebral biopsy, beside
   * the CPT codes. No default: no verified concept id was available (src/terminology/procedures.ts).
   */
  readonly augmentationSnomedCodes: readonly string[];
  readonly biopsySnomedCodes: readonly string[];
  readonly fhir: { readonly timeoutMs: number; readonly maxPages: number };
  readonly http: {
    readonly bodyLimit: string;
    readonly corsOrigins: readonly string[] | '*';
    readonly rateLimitPerMinute: number;
    readonly trustProxy: boolean;
  };
  readonly store: { readonly dataDir: string } | { readonly postgresUrl: string };
  /** CDS client authentication (README "Security"): the trusted issuers, parsed and checked. */
  readonly auth: { readonly enabled: boolean; readonly issuers: readonly TrustedIssuer[] };
  readonly logLevel: string;
  /** Serve the /playground page (synthetic data; its requests are audited like any other). */
  readonly playground: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads the environment; `configErrors` says what is wrong with the result. */
export function loadConfig(env: Env): { config: Config; errors: string[] } {
  const errors: string[] = [];
  const num = (
    key: string,
    fallback: number,
    check: (n: number) => boolean,
    what: string,
  ): number => {
    const raw = env[key];
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || !check(n)) {
      errors.push(`${key}=${JSON.stringify(raw)}: ${what}`);
      return fallback;
    }
    return n;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const raw = env[key]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    errors.push(`${key}=${JSON.stringify(env[key])}: expected true or false`);
    return fallback;
  };
  const probability = (n: number) => n > 0 && n < 1;
  const positiveInt = (n: number) => Number.isInteger(n) && n > 0;

  // A site ADC rule replaces cut-off, sensitivity, specificity and source together (CLINICAL-SPEC 5).
  const adcKeys = [
    'VCF_ADC_CUTOFF',
    'VCF_ADC_SENSITIVITY',
    'VCF_ADC_SPECIFICITY',
    'VCF_ADC_SOURCE',
  ];
  const adcGiven = adcKeys.filter((k) => env[k] !== undefined && env[k] !== '');
  let adc = DEFAULT_ENGINE_SETTINGS.adc;
  if (adcGiven.length > 0 && adcGiven.length < adcKeys.length) {
    errors.push(
      `${adcKeys.join(', ')} must be set together (a site's own ADC rule); missing: ${adcKeys.filter((k) => !adcGiven.includes(k)).join(', ')}`,
    );
  } else if (adcGiven.length === adcKeys.length) {
    adc = {
      cutoff: num('VCF_ADC_CUTOFF', NaN, (n) => n > 0, 'expected a positive number (10^-3 mm2/s)'),
      sensitivity: num(
        'VCF_ADC_SENSITIVITY',
        NaN,
        probability,
        'expected a number between 0 and 1',
      ),
      specificity: num(
        'VCF_ADC_SPECIFICITY',
        NaN,
        probability,
        'expected a number between 0 and 1',
      ),
      source: env['VCF_ADC_SOURCE'] ?? '',
      protocol: env['VCF_ADC_PROTOCOL'] ?? 'site protocol (VCF_ADC_PROTOCOL not set)',
    };
  }

  const engine: EngineSettings = {
    pretestProbability: num(
      'VCF_PRETEST_PROBABILITY',
      DEFAULT_ENGINE_SETTINGS.pretestProbability,
      probability,
      'expected a number between 0 and 1',
    ),
    cancerHistoryPretestProbability: num(
      'VCF_CANCER_HISTORY_PRETEST_PROBABILITY',
      DEFAULT_ENGINE_SETTINGS.cancerHistoryPretestProbability,
      probability,
      'expected a number between 0 and 1',
    ),
    malignantThreshold: num(
      'VCF_MALIGNANT_THRESHOLD',
      DEFAULT_ENGINE_SETTINGS.malignantThreshold,
      probability,
      'expected a number between 0 and 1',
    ),
    benignThreshold: num(
      'VCF_BENIGN_THRESHOLD',
      DEFAULT_ENGINE_SETTINGS.benignThreshold,
      probability,
      'expected a number between 0 and 1',
    ),
    useDwi: bool('VCF_USE_DWI', DEFAULT_ENGINE_SETTINGS.useDwi),
    adc,
  };
  if (errors.length === 0)
    errors.push(...settingsErrors(engine).map((e) => `engine setting: ${e}`));

  /** A comma-separated list of SNOMED CT concept ids (6 to 18 digits). */
  const snomedList = (key: string, fallback: readonly string[]): readonly string[] => {
    const raw = env[key];
    if (raw === undefined || raw.trim() === '') return fallback;
    const codes = raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    for (const code of codes) {
      if (!/^\d{6,18}$/.test(code))
        errors.push(`${key}: ${JSON.stringify(code)} is not a SNOMED CT concept id`);
    }
    return codes;
  };
  const cancerSnomedCodes = snomedList('VCF_CANCER_SNOMED_CODES', CANCER_SNOMED_CODES_DEFAULT);
  const augmentationSnomedCodes = snomedList('VCF_AUGMENTATION_SNOMED_CODES', []);
  const biopsySnomedCodes = snomedList('VCF_BIOPSY_SNOMED_CODES', []);

  const publicBaseUrl = env['PUBLIC_BASE_URL']?.replace(/\/+$/, '') || undefined;
  if (publicBaseUrl !== undefined && !/^https?:\/\/[^/]+/.test(publicBaseUrl)) {
    errors.push(`PUBLIC_BASE_URL=${JSON.stringify(publicBaseUrl)}: expected an http(s) URL`);
  }
  const cors = env['CORS_ORIGINS']?.trim();
  const bodyLimit = env['BODY_LIMIT']?.trim() || '5mb';
  if (!/^\d+(kb|mb)$/i.test(bodyLimit))
    errors.push(`BODY_LIMIT=${JSON.stringify(bodyLimit)}: expected e.g. 5mb or 500kb`);
  const logLevel = env['LOG_LEVEL']?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel))
    errors.push(`LOG_LEVEL=${JSON.stringify(logLevel)}: expected one of ${LOG_LEVELS.join(', ')}`);
  const postgresUrl = env['DATABASE_URL']?.trim();
  if (postgresUrl && !/^postgres(ql)?:\/\//.test(postgresUrl)) {
    errors.push('DATABASE_URL: expected a postgres:// or postgresql:// URL');
  }
  const authEnabled = bool('CDS_CLIENT_AUTH', false);
  let issuers: readonly TrustedIssuer[] = [];
  if (authEnabled) {
    const issuersJson = env['CDS_CLIENT_ISSUERS'];
    if (!issuersJson) errors.push('CDS_CLIENT_AUTH is on but CDS_CLIENT_ISSUERS is not set');
    else {
      const parsed = parseIssuers(issuersJson);
      errors.push(...parsed.errors);
      issuers = parsed.issuers;
    }
    // The JWT audience must be this service's own URL: derived from the Host header, a token
    // minted for another service trusting the same EHR could be replayed here.
    if (publicBaseUrl === undefined) {
      errors.push('CDS_CLIENT_AUTH is on but PUBLIC_BASE_URL is not set (the JWT audience)');
    }
  }

  const config: Config = {
    port: num(
      'PORT',
      3000,
      (n) => Number.isInteger(n) && n >= 0 && n < 65536,
      'expected a port number',
    ),
    host: env['HOST']?.trim() || undefined,
    publicBaseUrl,
    engine,
    cancerSnomedCodes,
    augmentationSnomedCodes,
    biopsySnomedCodes,
    fhir: {
      timeoutMs: num(
        'FHIR_TIMEOUT_MS',
        3000,
        positiveInt,
        'expected a positive integer (milliseconds)',
      ),
      maxPages: num('FHIR_MAX_PAGES', 20, positiveInt, 'expected a positive integer'),
    },
    http: {
      bodyLimit,
      corsOrigins: !cors || cors === '*' ? '*' : cors.split(',').map((s) => s.trim()),
      rateLimitPerMinute: num(
        'RATE_LIMIT_PER_MINUTE',
        600,
        positiveInt,
        'expected a positive integer',
      ),
      trustProxy: bool('TRUST_PROXY', false),
    },
    store: postgresUrl ? { postgresUrl } : { dataDir: env['DATA_DIR']?.trim() || './data' },
    auth: { enabled: authEnabled, issuers },
    logLevel,
    playground: bool('PLAYGROUND', true),
  };
  return { config: Object.freeze(config), errors };
}
