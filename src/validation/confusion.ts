/**
 * The 2x2 table against a reference standard and the five proportions the paper reports in
 * Table 6 (accuracy, sensitivity, specificity, PPV, NPV), each with a 95% Wilson interval.
 * The positive class is a parameter: the paper counts BENIGN as positive (Table 6 footnote).
 */
import { proportion, type Proportion } from './wilson.js';

/** The two reference classes (biopsy). */
export type Truth = 'benign' | 'malignant';

/** Counts relative to a positive class: tp = called positive and positive by the reference. */
export interface TwoByTwo {
  readonly positive: Truth;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

export interface DiagnosticMetrics {
  readonly accuracy: Proportion;
  readonly sensitivity: Proportion;
  readonly specificity: Proportion;
  readonly ppv: Proportion;
  readonly npv: Proportion;
}

/** The other class. */
export function otherClass(t: Truth): Truth {
  return t === 'benign' ? 'malignant' : 'benign';
}

/** Tallies (call, reference) pairs into a 2x2 table for the given positive class. */
export function twoByTwo(
  pairs: Iterable<{ readonly call: Truth; readonly reference: Truth }>,
  positive: Truth,
): TwoByTwo {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const { call, reference } of pairs) {
    const calledPositive = call === positive;
    const isPositive = reference === positive;
    if (calledPositive && isPositive) tp++;
    else if (calledPositive) fp++;
    else if (isPositive) fn++;
    else tn++;
  }
  return { positive, tp, fp, fn, tn };
}

/**
 * A 2x2 table from a reading's counts per reference class, in the shape of the paper's Table 5
 * rows: how many of the benign and of the malignant cases the reading called benign / malignant.
 */
export function twoByTwoFromCounts(
  calledBenign: { readonly benign: number; readonly malignant: number },
  calledMalignant: { readonly benign: number; readonly malignant: number },
  positive: Truth,
): TwoByTwo {
  return positive === 'benign'
    ? {
        positive,
        tp: calledBenign.benign,
        fp: calledBenign.malignant,
        fn: calledMalignant.benign,
        tn: calledMalignant.malignant,
      }
    : {
        positive,
        tp: calledMalignant.malignant,
        fp: calledMalignant.benign,
        fn: calledBenign.malignant,
        tn: calledBenign.benign,
      };
}

/**
 * The Table 6 proportions (definitions as in the paper's Table 6 footnote):
 * accuracy (TP+TN)/N, sensitivity TP/(TP+FN), specificity TN/(TN+FP), PPV TP/(TP+FP),
 * NPV TN/(TN+FN).
 */
export function diagnosticMetrics(t: TwoByTwo): DiagnosticMetrics {
  const n = t.tp + t.fp + t.fn + t.tn;
  return {
    accuracy: proportion(t.tp + t.tn, n),
    sensitivity: proportion(t.tp, t.tp + t.fn),
    specificity: proportion(t.tn, t.tn + t.fp),
    ppv: proportion(t.tp, t.tp + t.fp),
    npv: proportion(t.tn, t.tn + t.fn),
  };
}
