/**
 * Reasons a clinician may give for overriding a warning or critical card (CDS Hooks 2.0
 * overrideReasons; each Coding has a display). The single source is the published CodeSystem.
 */
import codeSystem from '../../profiles/CodeSystem-override-reason.json' with { type: 'json' };
import { OVERRIDE_REASON_SYSTEM } from './systems.js';

export const OVERRIDE_REASONS: readonly { system: string; code: string; display: string }[] =
  codeSystem.concept.map((c) => ({
    system: OVERRIDE_REASON_SYSTEM,
    code: c.code,
    display: c.display,
  }));
