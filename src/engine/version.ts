/**
 * The engine's own version: bump it when the reasoning (not the numbers) changes.
 * 1.1.0: the G4 safeguard can be pending (a G4 lesion held back from malignant-favoured while the
 * unknown benign discriminators could still make it apply); a DWI signal dropped by the setting no
 * longer supersedes the MRI impression; thresholds compared on log-odds with a tolerance.
 */
export const ENGINE_VERSION = '1.1.0';
