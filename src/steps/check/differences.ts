/**
 * What a deep check found in one document: how many rows are missing, extra or changed, and
 * the first keys of each kind in key order. Chunks are compared in parallel and finish in any
 * order, so each chunk keeps its own examples and the document's first N are taken in chunk
 * order at the end. A missing row whose key is in the document's rejected-rows file was
 * refused by the copy, which already reported it: it is counted apart, not as missing.
 */
import type { Value } from '../../handlers/contract.js';
import { encodeKey } from '../../progress/key-codec.js';
import type { DifferenceCounts, ReportKey } from '../../report/check-report.js';
import { encodeValues } from '../data/rejected-log.js';

export type DifferenceKind = keyof DifferenceCounts;

export class ChunkDifferences {
  readonly examples: Record<DifferenceKind, ReportKey[]> = { missing: [], extra: [], changed: [] };

  constructor(private readonly document: DocumentDifferences) {}

  /** True when missing rows must be listed key by key, to tell rejected rows apart. */
  get needsEveryMissingKey(): boolean {
    return this.document.hasRejectedKeys;
  }

  /** Rows found by key. */
  add(kind: DifferenceKind, keys: readonly Value[][]): void {
    for (const key of keys) {
      if (kind === 'missing' && this.document.isRejected(key)) {
        this.document.explained++;
        continue;
      }
      this.document.counts[kind]++;
      if (this.examples[kind].length < this.document.limit) this.examples[kind].push(encodeValues(key));
    }
  }

  /** `count` rows of one kind of which only the first keys were read. */
  addCounted(kind: DifferenceKind, count: number, firstKeys: readonly Value[][]): void {
    this.document.counts[kind] += count;
    for (const key of firstKeys.slice(0, this.document.limit - this.examples[kind].length))
      this.examples[kind].push(encodeValues(key));
  }
}

export class DocumentDifferences {
  readonly counts: DifferenceCounts = { missing: 0, extra: 0, changed: 0 };
  /** Missing rows that are in the rejected-rows file. */
  explained = 0;
  private readonly chunks = new Map<number, ChunkDifferences>();

  constructor(
    readonly limit: number,
    private readonly rejectedKeys: ReadonlySet<string>,
  ) {}

  get hasRejectedKeys(): boolean {
    return this.rejectedKeys.size > 0;
  }

  isRejected(key: readonly Value[]): boolean {
    return this.rejectedKeys.size > 0 && this.rejectedKeys.has(encodeKey(key));
  }

  chunk(index: number): ChunkDifferences {
    let chunk = this.chunks.get(index);
    if (!chunk) {
      chunk = new ChunkDifferences(this);
      this.chunks.set(index, chunk);
    }
    return chunk;
  }

  /** The first `limit` keys of each kind over all chunks, in key order. */
  examples(): Record<DifferenceKind, ReportKey[]> {
    const ordered = [...this.chunks].sort(([a], [b]) => a - b).map(([, chunk]) => chunk.examples);
    const first = (kind: DifferenceKind) => ordered.flatMap((e) => e[kind]).slice(0, this.limit);
    return { missing: first('missing'), extra: first('extra'), changed: first('changed') };
  }
}
