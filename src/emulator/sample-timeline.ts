import { snowflakeId, snowflakeTimeMs, WORKER_SEQUENCE_SPACE } from './snowflake.js';

/** What the shared sample holds at one position: a tweet and the template choices that shape its message. */
export interface SampledTweet {
  id: string;
  createdMs: number;
  template: number;
  variant: number;
  author: number;
}

/** One delivery of the sample: event `k` at `deliveryMs`; a duplicate redelivers an earlier event's tweet. */
export interface Delivery {
  deliveryMs: number;
  tweet: SampledTweet;
  duplicate: boolean;
}

/** What shapes a timeline; the same options give the same sample. */
export interface SampleTimelineOptions {
  /** Events per second of the timeline (> 0). */
  ratePerS: number;
  seed: number;
  duplicateRate: number;
  outOfOrderRate: number;
  maxLagMs: number;
  templateCount: number;
  /** Relative weight of each text variant. */
  variantWeights: readonly number[];
  authorCount: number;
}

/** Late (out-of-order) tweets are created this much earlier than their normal lag allows. */
const LATE_EXTRA_MIN_MS = 5_000;
const LATE_EXTRA_SPAN_MS = 15_000;
/** A duplicate repeats one of the previous 100 events. */
const DUPLICATE_REACH = 50;
const TWO_POW_32 = 2 ** 32;
/** Multiplies k into the low 22 bits of an ID; odd, so it has an inverse mod 2^22. */
const SEQUENCE_MULTIPLIER = 0x2545f491;
const SEQUENCE_MASK = WORKER_SEQUENCE_SPACE - 1;
/** SEQUENCE_MULTIPLIER's inverse mod 2^32 (Newton's iteration doubles the correct low bits each step). */
const SEQUENCE_INVERSE = [1, 2, 3, 4, 5].reduce(
  (x) => Math.imul(x, 2 - Math.imul(SEQUENCE_MULTIPLIER, x)),
  SEQUENCE_MULTIPLIER,
);

/** Each random choice about an event draws from its own stream. */
const SALT = {
  lag: 1,
  late: 2,
  lateExtra: 3,
  duplicate: 4,
  duplicateReach: 5,
  template: 6,
  variant: 7,
  author: 8,
} as const;
type Salt = (typeof SALT)[keyof typeof SALT];

function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The deterministic shared sample: event k is delivered at floor(k * 1000 / ratePerS) ms after the UNIX epoch,
 * and everything about it is a pure function of (seed, k), so any connection can start anywhere and two
 * connections (or two emulators with the same seed) see the same tweets in the same order.
 */
export class SampleTimeline {
  readonly #options: SampleTimelineOptions;
  readonly #seedHash: number;
  readonly #variantTable: Uint16Array;

  constructor(options: SampleTimelineOptions) {
    if (!(options.ratePerS > 0)) {
      throw new RangeError(`Cannot build a sample timeline: ratePerS must be > 0: got ${options.ratePerS}`);
    }
    this.#options = options;
    this.#seedHash = fmix32(options.seed ^ 0x5bd1e995);
    this.#variantTable = Uint16Array.from(
      options.variantWeights.flatMap((weight, index) => Array<number>(weight).fill(index)),
    );
  }

  /** Uniform in [0, 1), from (seed, k, salt). */
  #uniform(k: number, salt: Salt): number {
    const low = k % TWO_POW_32;
    const high = (k - low) / TWO_POW_32;
    const h = fmix32(fmix32(this.#seedHash ^ Math.imul(salt, 0x9e3779b1) ^ low) ^ high);
    return h / TWO_POW_32;
  }

  #pick(k: number, salt: Salt, count: number): number {
    return Math.floor(this.#uniform(k, salt) * count);
  }

  /** When event `k` is delivered (epoch ms). */
  deliveryMs(k: number): number {
    return Math.floor((k * 1000) / this.#options.ratePerS);
  }

  /** The first event delivered at or after `ms`. */
  firstEventAtOrAfter(ms: number): number {
    let k = Math.ceil((ms * this.#options.ratePerS) / 1000);
    while (k > 0 && this.deliveryMs(k - 1) >= ms) k -= 1;
    while (this.deliveryMs(k) < ms) k += 1;
    return k;
  }

  /** Whether event `k` redelivers an earlier tweet instead of a new one. */
  isDuplicate(k: number): boolean {
    return this.#uniform(k, SALT.duplicate) < this.#options.duplicateRate;
  }

  /** The new tweet of event `k` (for a duplicate event: the tweet it would have carried). */
  tweet(k: number): SampledTweet {
    const { maxLagMs, outOfOrderRate, templateCount, authorCount } = this.#options;
    let lagMs = this.#pick(k, SALT.lag, maxLagMs + 1);
    if (this.#uniform(k, SALT.late) < outOfOrderRate) {
      lagMs += LATE_EXTRA_MIN_MS + this.#pick(k, SALT.lateExtra, LATE_EXTRA_SPAN_MS);
    }
    const createdMs = this.deliveryMs(k) - lagMs;
    // An odd multiplier permutes k mod 2^22, so IDs stay unique while fewer than 2^22 events share a lag window.
    const workerSequence = (Math.imul(k % TWO_POW_32, SEQUENCE_MULTIPLIER) + this.#seedHash) & SEQUENCE_MASK;
    return {
      id: snowflakeId(createdMs, workerSequence),
      createdMs,
      template: this.#pick(k, SALT.template, templateCount),
      variant: this.#variantTable[this.#pick(k, SALT.variant, this.#variantTable.length)] ?? 0,
      author: this.#pick(k, SALT.author, authorCount),
    };
  }

  /** What event `k` delivers. */
  delivery(k: number): Delivery {
    let source = k;
    // Steps of two keep a redelivery inside its sample10 partition.
    while (this.isDuplicate(source) && source > 2 * DUPLICATE_REACH) {
      source -= 2 * (1 + this.#pick(source, SALT.duplicateReach, DUPLICATE_REACH));
    }
    return { deliveryMs: this.deliveryMs(k), tweet: this.tweet(source), duplicate: source !== k };
  }

  /**
   * The event whose new tweet has `id`, or null when this timeline never creates it. The low 22 bits of an ID
   * fix k mod 2^22, and its time bounds the delivery time, so at most a few candidates need checking.
   */
  eventOf(id: string): number | null {
    if (!/^\d{1,19}$/.test(id)) return null;
    const createdMs = snowflakeTimeMs(id);
    const sequence = Number(BigInt(id) & BigInt(SEQUENCE_MASK));
    const residue = Math.imul((sequence - this.#seedHash) & SEQUENCE_MASK, SEQUENCE_INVERSE) & SEQUENCE_MASK;
    const first = this.firstEventAtOrAfter(createdMs);
    const last = this.firstEventAtOrAfter(createdMs + this.#options.maxLagMs + LATE_EXTRA_MIN_MS + LATE_EXTRA_SPAN_MS + 1);
    for (let k = first + ((((residue - first) % WORKER_SEQUENCE_SPACE) + WORKER_SEQUENCE_SPACE) % WORKER_SEQUENCE_SPACE); k < last; k += WORKER_SEQUENCE_SPACE) {
      if (!this.isDuplicate(k) && this.tweet(k).id === id) return k;
    }
    return null;
  }

  /** IDs of the new (non-duplicate) tweets delivered in [fromMs, toMs), in delivery order. */
  sampleIds(fromMs: number, toMs: number, step = 1, offset = 0): string[] {
    const ids: string[] = [];
    for (let k = this.alignedEvent(fromMs, step, offset); this.deliveryMs(k) < toMs; k += step) {
      if (!this.isDuplicate(k)) ids.push(this.tweet(k).id);
    }
    return ids;
  }

  /** The first event at or after `ms` with k % step === offset (sample10 partitions take every second event). */
  alignedEvent(ms: number, step: number, offset: number): number {
    const k = this.firstEventAtOrAfter(ms);
    return k + ((((offset - k) % step) + step) % step);
  }
}
