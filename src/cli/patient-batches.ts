/**
 * Groups a stream of resources by patient without holding the input: patients are numbered in order
 * of first appearance, and patient n's resources are appended to batch file floor(n / batchSize)
 * in a temporary directory. Reading the batches back in order then gives every patient whole (its
 * resources wherever they were in the input: a Bulk Data export's Patient.ndjson and
 * Observation.ndjson, an unsorted file) and in order of first appearance, with at most one batch
 * of patients in memory. Memory: one batch, the write buffers (WRITE_BUFFER bytes), and one map
 * entry (id -> number) per patient. A small input (under `inMemoryBytes`) skips the disk.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachLine } from './line-reader.js';
import type { Origin, Resource, SourcedResource } from './read-resources.js';

export interface BatchOptions {
  /** Inputs up to this size are grouped in memory (no temporary files). */
  readonly inMemoryBytes: number;
  /** Patients per batch file. */
  readonly batchSize: number;
}

export const DEFAULT_BATCH_OPTIONS: BatchOptions = {
  inMemoryBytes: 64 * 1024 * 1024,
  batchSize: 2000,
};

/** Bytes of pending lines across all batches before they are appended to their files. */
const WRITE_BUFFER = 16 * 1024 * 1024;

export interface PatientItems {
  readonly patientId: string;
  readonly items: readonly SourcedResource[];
}

/** One resource as a batch file line. */
interface Stored {
  readonly p: string;
  readonly o: Origin;
  readonly s: boolean;
  readonly m: boolean;
  readonly r: Resource;
}

export class PatientBatches {
  private readonly order = new Map<string, number>();
  /** In memory: the items per patient, in order; on disk: pending lines per batch. */
  private readonly memory: SourcedResource[][] = [];
  private readonly pending = new Map<number, string[]>();
  private pendingBytes = 0;
  private readonly dir: string | undefined;

  constructor(
    inputBytes: number,
    private readonly options: BatchOptions = DEFAULT_BATCH_OPTIONS,
  ) {
    this.dir =
      inputBytes > options.inMemoryBytes
        ? mkdtempSync(join(tmpdir(), 'vcf-cds-batches-'))
        : undefined;
  }

  /** The patients seen, in order of first appearance. */
  get patientIds(): IterableIterator<string> {
    return this.order.keys();
  }

  has(patientId: string): boolean {
    return this.order.has(patientId);
  }

  get size(): number {
    return this.order.size;
  }

  add(patientId: string, item: SourcedResource): void {
    let n = this.order.get(patientId);
    if (n === undefined) {
      n = this.order.size;
      this.order.set(patientId, n);
      if (this.dir === undefined) this.memory.push([]);
    }
    if (this.dir === undefined) {
      this.memory[n]!.push(item);
      return;
    }
    const stored: Stored = {
      p: patientId,
      o: item.origin,
      s: item.synthetic,
      m: item.simulated,
      r: item.resource,
    };
    const line = `${JSON.stringify(stored)}\n`;
    const batch = Math.floor(n / this.options.batchSize);
    const list = this.pending.get(batch);
    if (list === undefined) this.pending.set(batch, [line]);
    else list.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes > WRITE_BUFFER) this.flush();
  }

  private flush(): void {
    for (const [batch, lines] of this.pending) appendFileSync(this.file(batch), lines.join(''));
    this.pending.clear();
    this.pendingBytes = 0;
  }

  private file(batch: number): string {
    return join(this.dir!, `${batch}.ndjson`);
  }

  /** Every patient with all its items, in order of first appearance; one batch in memory at a time. */
  *patients(): Generator<PatientItems> {
    const ids = [...this.order.keys()];
    if (this.dir === undefined) {
      for (let n = 0; n < ids.length; n++) yield { patientId: ids[n]!, items: this.memory[n]! };
      return;
    }
    this.flush();
    const batches = Math.ceil(ids.length / this.options.batchSize);
    for (let b = 0; b < batches; b++) {
      const first = b * this.options.batchSize;
      const groups: SourcedResource[][] = ids
        .slice(first, first + this.options.batchSize)
        .map(() => []);
      forEachLine(this.file(b), (line) => {
        if (line === '') return;
        const s = JSON.parse(line) as Stored;
        groups[this.order.get(s.p)! - first]!.push({
          resource: s.r,
          origin: s.o,
          synthetic: s.s,
          simulated: s.m,
        });
      });
      for (let i = 0; i < groups.length; i++)
        yield { patientId: ids[first + i]!, items: groups[i]! };
    }
  }

  /** Removes the temporary files (always call, also after an error). */
  dispose(): void {
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
  }
}
