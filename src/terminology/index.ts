/** Terminology: code systems, levels, procedure and condition codes. Data only, no I/O. */
export * from './systems.js';
export * from './levels.js';
export * from './procedures.js';
export * from './cancer-codes.js';
export * from './override-reasons.js';
