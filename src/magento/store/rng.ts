/** Deterministic randomness for the store generator: the same seed gives the same store. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: a float in [0, 1), the same on every platform. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** A price with 4 decimals as Magento stores it, e.g. "19.9900". */
  price(min: number, max: number): string {
    return (this.int(min * 100, max * 100) / 100).toFixed(4);
  }
}

/** Deterministic timestamps: a store that opened on 2015-01-01 and is `days` old. */
export class Clock {
  private readonly start = Date.UTC(2015, 0, 1);

  constructor(private readonly rng: Rng) {}

  /** 'YYYY-MM-DD HH:MM:SS' at `days` after opening plus a random time of day. */
  at(days: number): string {
    return formatDateTime(new Date(this.start + days * 86_400_000 + this.rng.int(0, 86_399) * 1000));
  }

  /** A moment `seconds` after `dateTime`. */
  after(dateTime: string, seconds: number): string {
    return formatDateTime(new Date(Date.parse(`${dateTime.replace(' ', 'T')}Z`) + seconds * 1000));
  }
}

export function formatDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
