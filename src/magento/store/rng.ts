import { Rng as SeededRng } from '../../util/rng.js';

/** Deterministic randomness for the store generator: the same seed gives the same store. */
export class Rng extends SeededRng {
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
