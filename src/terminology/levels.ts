/** The vertebral levels of the input contract (docs/clinical-logic.md section 1), in spine order. */
export const VERTEBRAL_LEVELS: readonly string[] = [
  ...Array.from({ length: 7 }, (_, i) => `C${i + 1}`),
  ...Array.from({ length: 12 }, (_, i) => `T${i + 1}`),
  ...Array.from({ length: 5 }, (_, i) => `L${i + 1}`),
  'S1',
];
