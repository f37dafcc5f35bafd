/** The engine's own version: bump it when the reasoning (not the numbers) changes. */
export const ENGINE_VERSION = '1.0.0';
