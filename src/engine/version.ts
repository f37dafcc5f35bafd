/**
 * The engine's own version: bump it when the reasoning (not the numbers) changes.
 * 1.1.0: the G4 safeguard can be pending (a G4 lesion held back from malignant-favoured while the
 * unknown benign discriminators could still make it apply); a DWI signal dropped by the setting no
 * longer supersedes the MRI impression; thresholds compared on log-odds with a tolerance.
 * 2.0.0 (clinical safety v2): the red-flag rule (a key discriminator at its malignant value, or one
 * of two conflicting values, is never benign-favoured), key-sign agreement (malignant-favoured
 * needs one), reader discordance (a reader's impression against the category holds it at
 * indeterminate), diffusion completes the constellation only through a measured ADC, same-time
 * conflicts are not weighed and count as unknown, an implausibly low ADC is flagged, every rule
 * that held a category back is reported (`heldBy`).
 */
export const ENGINE_VERSION = '2.0.0';
