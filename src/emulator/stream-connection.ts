import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Clock } from '../platform/clock.js';
import type { EventFaultKind, FaultSchedule, FaultTarget } from './fault-schedule.js';
import type { MessageRenderer } from './message-renderer.js';
import { HEARTBEAT, MALFORMED_LINE, OPERATIONAL_DISCONNECT_LINE } from './problems.js';
import type { SampleTimeline } from './sample-timeline.js';
import { TEXT_VARIANTS } from './text-variants.js';

/** What one stream connection needs. */
export interface StreamConnectionDeps {
  target: FaultTarget;
  response: ServerResponse;
  clock: Clock;
  timeline: SampleTimeline;
  renderer: MessageRenderer;
  faults: FaultSchedule;
  keepaliveMs: number;
  /** False: send as fast as the socket takes (ratePerS 0), ignoring delivery times. */
  paced: boolean;
  /** sample10 partitions take every `step`-th event starting at `offset`; the 1% sample uses 1 and 0. */
  step: number;
  offset: number;
  /** Counts complete JSON messages written. */
  onMessages(count: number): void;
  /** With a ledger: the IDs of tweets whose bytes reached the kernel, once they have. */
  onDelivered?: (ids: string[]) => void;
}

/** Messages are gathered into writes of up to this many bytes. */
const BATCH_BYTES = 128 * 1024;
/** With split-utf8 and no pacing, this many messages go out between checks of the schedule. */
const SPLIT_BATCH = 64;
const EMOJI_VARIANT = TEXT_VARIANTS.findIndex((variant) => variant.name === 'emoji');

/** Byte offsets that cut `line` inside multi-byte UTF-8 characters (first, middle and last), or its middle. */
export function splitOffsets(line: Uint8Array): number[] {
  const inside: number[] = [];
  for (let i = 0; i < line.length; i++) if (line[i]! >= 0xc0) inside.push(i + 1);
  if (inside.length === 0) return [Math.floor(line.length / 2)];
  return [...new Set([inside[0]!, inside[Math.floor(inside.length / 2)]!, inside[inside.length - 1]!])];
}

function whenDrainedOrClosed(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/** Resolves true once `chunk` reached the kernel, false when the response closed first. */
function whenFlushedOrClosed(response: ServerResponse, chunk: Uint8Array): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (flushed: boolean) => {
      response.off('close', closed);
      resolve(flushed);
    };
    const closed = () => done(false);
    response.on('close', closed);
    response.write(chunk, (err) => done(!err));
  });
}

/** Feeds one 200 response from the shared sample: pacing, keep-alives, backpressure and faults (DESIGN 11). */
export class StreamConnection {
  readonly #deps: StreamConnectionDeps;
  readonly #scratch = Buffer.allocUnsafe(BATCH_BYTES);
  #event: number;
  #lastKeepaliveMs: number;
  #closed = false;
  #wakeRequested = false;
  #sleep: AbortController | null = null;

  constructor(deps: StreamConnectionDeps) {
    this.#deps = deps;
    this.#event = deps.timeline.alignedEvent(deps.target.connectedAtMs, deps.step, deps.offset);
    this.#lastKeepaliveMs = deps.target.connectedAtMs;
    deps.response.once('close', () => this.stop());
  }

  /** The connection's number in faults and the ledger. */
  get number(): number {
    return this.#deps.target.number;
  }

  /** Ends the loop (the socket is closed by whoever called this). */
  stop(): void {
    this.#closed = true;
    this.wake();
  }

  /** Re-reads the schedule at once (a fault was injected). */
  wake(): void {
    this.#wakeRequested = true;
    this.#sleep?.abort();
  }

  /** Runs until the response closes. */
  async run(): Promise<void> {
    const { clock, faults, target, keepaliveMs, paced, timeline, step, offset } = this.#deps;
    while (!this.#closed) {
      const nowMs = clock.now();
      const due = faults.takeDueEvent(target, nowMs);
      if (due) {
        await this.#applyFault(due);
        continue;
      }
      if (faults.isActive('stall', target.number, nowMs)) {
        await this.#sleepUntil(faults.nextChangeMs(target, nowMs));
        // Tweets of the stalled time are lost to this connection, as when X stops sending.
        this.#event = timeline.alignedEvent(Math.max(clock.now(), timeline.deliveryMs(this.#event)), step, offset);
        continue;
      }
      if (faults.isActive('split-utf8', target.number, nowMs)) await this.#sendSplit(nowMs);
      else await this.#sendBatch(nowMs);
      // X sends its heartbeat on a timer, between messages too, so clients meet blank lines amid data.
      if (nowMs - this.#lastKeepaliveMs >= keepaliveMs) {
        await this.#write(HEARTBEAT);
        this.#lastKeepaliveMs = nowMs;
      }
      const nextDeliveryMs = paced ? timeline.deliveryMs(this.#event) : nowMs;
      const nextKeepaliveMs = this.#lastKeepaliveMs + keepaliveMs;
      await this.#sleepUntil(Math.min(nextDeliveryMs, nextKeepaliveMs, faults.nextChangeMs(target, nowMs)));
    }
  }

  #isDue(nowMs: number): boolean {
    return !this.#deps.paced || this.#deps.timeline.deliveryMs(this.#event) <= nowMs;
  }

  #nextTweet() {
    const tweet = this.#deps.timeline.delivery(this.#event).tweet;
    this.#event += this.#deps.step;
    return tweet;
  }

  async #sendBatch(nowMs: number): Promise<void> {
    const { renderer } = this.#deps;
    let buffer = this.#scratch;
    let used = 0;
    let count = 0;
    const ids: string[] | null = this.#deps.onDelivered ? [] : null;
    while (this.#isDue(nowMs)) {
      const tweet = this.#deps.timeline.delivery(this.#event).tweet;
      const needed = renderer.maxBytes(tweet);
      if (used + needed > buffer.length) {
        if (used > 0) break;
        buffer = Buffer.allocUnsafe(needed);
      }
      used = renderer.render(tweet, buffer, used);
      ids?.push(tweet.id);
      this.#event += this.#deps.step;
      count += 1;
    }
    if (count === 0) return;
    // The scratch buffer is reused, so the socket gets its own copy.
    await this.#write(Buffer.from(buffer.subarray(0, used)), ids);
    this.#deps.onMessages(count);
  }

  /** Each message in several writes, each waited for, so a reader's chunks end inside a character. */
  async #sendSplit(nowMs: number): Promise<void> {
    const { renderer, response } = this.#deps;
    let count = 0;
    while (this.#isDue(nowMs) && count < SPLIT_BATCH && !this.#closed) {
      const tweet = this.#nextTweet();
      let line = renderer.renderLine(tweet);
      // An all-ASCII message cannot be cut inside a character, so this connection gets the emoji variant of it.
      if (!line.some((byte) => byte >= 0x80)) line = renderer.renderLine({ ...tweet, variant: EMOJI_VARIANT });
      let start = 0;
      let flushed = true;
      for (const end of [...splitOffsets(line), line.length]) {
        flushed = await whenFlushedOrClosed(response, line.subarray(start, end));
        start = end;
      }
      if (flushed) this.#deps.onDelivered?.([tweet.id]);
      count += 1;
    }
    this.#deps.onMessages(count);
  }

  async #applyFault(kind: EventFaultKind): Promise<void> {
    const { response } = this.#deps;
    switch (kind) {
      case 'drop':
        response.socket?.destroy();
        this.stop();
        return;
      case 'opdisconnect':
        await this.#write(OPERATIONAL_DISCONNECT_LINE);
        this.#deps.onMessages(1);
        response.end();
        this.stop();
        return;
      case 'truncate': {
        const line = this.#deps.renderer.renderLine(this.#nextTweet());
        await whenFlushedOrClosed(response, line.subarray(0, Math.floor(line.length / 2)));
        response.socket?.destroy();
        this.stop();
        return;
      }
      case 'malformed':
        await this.#write(MALFORMED_LINE);
    }
  }

  /** Writes `chunk`; the `ids` it holds go to the ledger when the write reaches the kernel. */
  async #write(chunk: Uint8Array, ids: string[] | null = null): Promise<void> {
    const { response, onDelivered } = this.#deps;
    if (this.#closed || response.destroyed) return;
    const written = ids && onDelivered ? (err?: Error | null) => !err && onDelivered(ids) : undefined;
    if (!response.write(chunk, written)) await whenDrainedOrClosed(response);
  }

  /** Sleeps on the injected clock until `wakeAtMs` or wake(); a due time only yields to the event loop. */
  async #sleepUntil(wakeAtMs: number): Promise<void> {
    const delayMs = wakeAtMs - this.#deps.clock.now();
    if (this.#wakeRequested || delayMs <= 0 || this.#closed) {
      this.#wakeRequested = false;
      await nextTurn();
      return;
    }
    const controller = new AbortController();
    this.#sleep = controller;
    try {
      await this.#deps.clock.sleep(delayMs, controller.signal);
    } catch {
      // Aborted by wake(): the loop re-reads the schedule.
    } finally {
      this.#sleep = null;
      this.#wakeRequested = false;
    }
  }
}
