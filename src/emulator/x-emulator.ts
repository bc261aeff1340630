import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { systemClock, type Clock } from '../platform/clock.js';
import { FaultSchedule } from './fault-schedule.js';
import { MessageRenderer, templateAuthors } from './message-renderer.js';
import { loadMessageTemplates } from './message-templates.js';
import type { Fault } from './parse-faults.js';
import * as problems from './problems.js';
import { RequestWindow, type WindowState } from './request-window.js';
import { SampleTimeline } from './sample-timeline.js';
import { SendLedger } from './send-ledger.js';
import { StreamConnection } from './stream-connection.js';
import { parseLookupQuery, parseStreamQuery, type StreamEndpoint, type StreamQuery } from './stream-query.js';
import { lookupBody } from './tweet-lookup.js';
import { TEXT_VARIANTS } from './text-variants.js';

/** Options of the fake X API (DESIGN 11). */
export interface XEmulatorOptions {
  /** 0 = a random free port. @default 0 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Tweets per second of the shared sample; 0 = as fast as the socket takes (benchmarks). @default 50 */
  ratePerS?: number;
  /** The required bearer token; null/undefined = any non-empty token. @default null */
  token?: string | null;
  /** Connections per token (per partition for sample10); more get 429 TooManyConnections. @default 2 */
  maxConnections?: number;
  /** Seconds between `\r\n` heartbeats, which also go out between messages (reference A.5). @default 20 */
  keepaliveS?: number;
  /** @default [] */
  faults?: Fault[];
  /** Seed of the deterministic sample. @default 1 */
  seed?: number;
  /** Fault times count from start() in this clock; deliveries are paced by it. @default systemClock */
  clock?: Clock;
  /** Share of deliveries that repeat an earlier tweet. @default 0.002 */
  duplicateRate?: number;
  /** Share of tweets delivered 5-20 s later than their normal lag (out of ID order). @default 0.01 */
  outOfOrderRate?: number;
  /** created_at precedes delivery by 0..maxLagMs. @default 3000 */
  maxLagMs?: number;
  /** `GET /2/tweets` reports IDs divisible by this as not found (about one in N, as if deleted); 0 = none. @default 0 */
  deletedEvery?: number;
  /** `GET /2/tweets` requests per token per window; more get 429 with x-rate-limit-* headers. @default 300 */
  lookupLimit?: number;
  /** The lookup rate-limit window in seconds (X: 15 minutes). @default 900 */
  windowS?: number;
  /** File that records every tweet written to each connection (send-ledger.ts); none when unset. */
  ledger?: string;
}

/** A running fake X API. */
export interface XEmulator {
  /** 'http://127.0.0.1:PORT' (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Adds a fault that starts now. */
  injectFault(fault: Omit<Fault, 'atS'>): void;
  activeConnections(): number;
  /** Numbers of the open connections (1 = the first accepted), for faults aimed at one of them. */
  openConnections(): number[];
  /** IDs of every tweet of the shared sample whose delivery time (emulator clock) is in [fromMs, toMs). */
  sampleIds(fromMs: number, toMs: number): string[];
  /** The next `count` lookup requests (after the bearer and query checks) fail with `status`, without rate headers. */
  failNextLookups(status: 429 | 503, count: number): void;
  /** Accepted and rejected (by status code) connections, complete JSON messages written, and lookups answered 200. */
  stats(): {
    connectionsAccepted: number;
    connectionsRejected: Record<string, number>;
    messagesSent: number;
    lookupRequests: number;
  };
  /** Destroys every open socket; resolves when the server is closed and the ledger (if any) is written. */
  close(): Promise<void>;
}

/** With ratePerS 0 the sample's timestamps advance as if this many tweets arrived per second. */
const UNPACED_TIMELINE_RATE = 100_000;
/** sample10 is ten times the 1% rate (reference A.1), split across two partitions. */
const SAMPLE10_FACTOR = 10;
const LOOKUP_PATH = '/2/tweets';
const ENDPOINTS: Record<string, StreamEndpoint> = {
  '/2/tweets/sample/stream': 'sample',
  '/2/tweets/sample10/stream': 'sample10',
};

function checkOptions(o: Required<Omit<XEmulatorOptions, 'token' | 'clock' | 'faults' | 'host' | 'ledger'>>): void {
  const wholeAtLeast = (name: string, value: number, min: number) =>
    Number.isInteger(value) && value >= min ? '' : `'${name}' must be a whole number >= ${min}: got ${value}`;
  const problemsFound = [
    Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535 ? '' : `'port' must be 0..65535: got ${o.port}`,
    Number.isFinite(o.ratePerS) && o.ratePerS >= 0 ? '' : `'ratePerS' must be >= 0: got ${o.ratePerS}`,
    Number.isInteger(o.maxConnections) && o.maxConnections >= 1
      ? ''
      : `'maxConnections' must be a whole number >= 1: got ${o.maxConnections}`,
    o.keepaliveS > 0 ? '' : `'keepaliveS' must be > 0: got ${o.keepaliveS}`,
    Number.isInteger(o.seed) ? '' : `'seed' must be an integer: got ${o.seed}`,
    o.duplicateRate >= 0 && o.duplicateRate <= 1 ? '' : `'duplicateRate' must be 0..1: got ${o.duplicateRate}`,
    o.outOfOrderRate >= 0 && o.outOfOrderRate <= 1 ? '' : `'outOfOrderRate' must be 0..1: got ${o.outOfOrderRate}`,
    Number.isInteger(o.maxLagMs) && o.maxLagMs >= 0 ? '' : `'maxLagMs' must be a whole number >= 0: got ${o.maxLagMs}`,
    wholeAtLeast('deletedEvery', o.deletedEvery, 0),
    wholeAtLeast('lookupLimit', o.lookupLimit, 1),
    o.windowS > 0 ? '' : `'windowS' must be > 0: got ${o.windowS}`,
  ].filter((text) => text !== '');
  if (problemsFound.length > 0) throw new RangeError(`Cannot start the X API emulator: ${problemsFound.join('; ')}`);
}

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

function rateHeaders(state: Pick<WindowState, 'limit' | 'remaining' | 'resetMs'>): Record<string, string> {
  return {
    'x-rate-limit-limit': String(state.limit),
    'x-rate-limit-remaining': String(state.remaining),
    'x-rate-limit-reset': String(Math.ceil(state.resetMs / 1000)),
  };
}

/** Starts the fake `GET /2/tweets/sample/stream`, `/2/tweets/sample10/stream` and `GET /2/tweets` (DESIGN 11). */
export async function startXEmulator(options: XEmulatorOptions = {}): Promise<XEmulator> {
  const {
    port = 0,
    host = '127.0.0.1',
    ratePerS = 50,
    token = null,
    maxConnections = 2,
    keepaliveS = 20,
    faults = [],
    seed = 1,
    clock = systemClock,
    duplicateRate = 0.002,
    outOfOrderRate = 0.01,
    maxLagMs = 3000,
    deletedEvery = 0,
    lookupLimit = 300,
    windowS = 900,
  } = options;
  checkOptions({
    port, ratePerS, maxConnections, keepaliveS, seed, duplicateRate, outOfOrderRate, maxLagMs, deletedEvery, lookupLimit, windowS,
  });
  const templates = await loadMessageTemplates();
  const ledger = options.ledger === undefined ? null : await SendLedger.open(options.ledger);
  const timelineOptions = {
    seed,
    duplicateRate,
    outOfOrderRate,
    maxLagMs,
    templateCount: templates.length,
    variantWeights: TEXT_VARIANTS.map((variant) => variant.weight),
    authorCount: templateAuthors(templates).length,
  };
  const paced = ratePerS > 0;
  const timelines: Record<StreamEndpoint, SampleTimeline> = {
    sample: new SampleTimeline({ ...timelineOptions, ratePerS: paced ? ratePerS : UNPACED_TIMELINE_RATE }),
    sample10: new SampleTimeline({
      ...timelineOptions,
      seed: seed + 1,
      ratePerS: paced ? ratePerS * SAMPLE10_FACTOR : UNPACED_TIMELINE_RATE,
    }),
  };
  const schedule = new FaultSchedule(clock.now(), faults);
  const requestWindow = new RequestWindow();
  const lookupWindow = new RequestWindow(lookupLimit, windowS * 1000);
  const forcedLookupFailures: Array<429 | 503> = [];
  let lookupRequests = 0;
  const renderers = new Map<string, MessageRenderer>();
  const slots = new Map<string, number>();
  const connections = new Set<StreamConnection>();
  const sockets = new Set<Socket>();
  const rejected: Record<string, number> = {};
  let accepted = 0;
  let messagesSent = 0;

  const reject = (res: ServerResponse, answer: problems.ProblemResponse, headers: Record<string, string> = {}) => {
    rejected[answer.status] = (rejected[answer.status] ?? 0) + 1;
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers, ...headers });
    res.end(JSON.stringify(answer.body));
  };

  const rendererFor = (query: Pick<StreamQuery, 'fields' | 'fieldsKey'>): MessageRenderer => {
    let renderer = renderers.get(query.fieldsKey);
    if (!renderer) {
      renderer = new MessageRenderer(templates, query.fields);
      renderers.set(query.fieldsKey, renderer);
    }
    return renderer;
  };

  const accept = (
    res: ServerResponse,
    endpoint: StreamEndpoint,
    query: StreamQuery,
    slot: string,
    window: WindowState,
  ) => {
    accepted += 1;
    const number = accepted;
    slots.set(slot, (slots.get(slot) ?? 0) + 1);
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-cache, no-store, max-age=0',
      ...rateHeaders(window),
    });
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    const connection = new StreamConnection({
      target: { number, connectedAtMs: clock.now(), fired: new Set() },
      response: res,
      clock,
      timeline: timelines[endpoint],
      renderer: rendererFor(query),
      faults: schedule,
      keepaliveMs: keepaliveS * 1000,
      paced,
      step: endpoint === 'sample10' ? 2 : 1,
      offset: endpoint === 'sample10' ? (query.partition ?? 1) - 1 : 0,
      onMessages: (count) => {
        messagesSent += count;
      },
      onDelivered: ledger ? (ids) => ledger.record(number, ids, clock.now()) : undefined,
    });
    connections.add(connection);
    res.once('close', () => {
      connections.delete(connection);
      slots.set(slot, (slots.get(slot) ?? 1) - 1);
    });
    connection.run().catch((err: unknown) => res.destroy(err instanceof Error ? err : new Error(String(err))));
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const nowMs = clock.now();
    // The Date header follows the emulator's clock, so a shifted clock looks like skew to `watch`.
    res.sendDate = false;
    res.setHeader('date', new Date(nowMs).toUTCString());
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const endpoint = ENDPOINTS[url.pathname];
    if (!endpoint && url.pathname !== LOOKUP_PATH) return reject(res, problems.notFound());
    if (req.method !== 'GET') return reject(res, problems.methodNotAllowed());
    const presented = bearerToken(req.headers.authorization);
    if (presented === null || (token !== null && presented !== token)) return reject(res, problems.unauthorized());
    if (!endpoint) return lookup(res, url.searchParams, presented, nowMs);
    const parsed = parseStreamQuery(url.searchParams, endpoint);
    if (!parsed.ok) return reject(res, problems.invalidRequest(parsed.errors));
    const attemptFault = schedule.attemptFault(accepted + 1, nowMs);
    if (attemptFault?.kind === '503') return reject(res, problems.serviceUnavailable());
    const window = requestWindow.take(presented, nowMs);
    if (attemptFault?.kind === '429') {
      return reject(res, problems.rateLimited(), rateHeaders({ ...window, remaining: 0, resetMs: attemptFault.endMs }));
    }
    if (!window.allowed) return reject(res, problems.rateLimited(), rateHeaders(window));
    const slot = `${endpoint}#${parsed.query.partition ?? 0}#${presented}`;
    if ((slots.get(slot) ?? 0) >= maxConnections) {
      return reject(res, problems.tooManyConnections(), rateHeaders(window));
    }
    accept(res, endpoint, parsed.query, slot, window);
  };

  /** `GET /2/tweets` (issue 11.4): the stream's own tweets for the IDs it created, with its rate-limit window. */
  const lookup = (res: ServerResponse, params: URLSearchParams, presented: string, nowMs: number) => {
    const parsed = parseLookupQuery(params);
    if (!parsed.ok) return reject(res, problems.invalidRequest(parsed.errors));
    const forced = forcedLookupFailures.shift();
    if (forced === 503) return reject(res, problems.serviceUnavailable());
    if (forced === 429) return reject(res, problems.rateLimited());
    const window = lookupWindow.take(presented, nowMs);
    if (!window.allowed) return reject(res, problems.rateLimited(), rateHeaders(window));
    lookupRequests += 1;
    const body = lookupBody(parsed.query.ids, rendererFor(parsed.query), {
      timelines: [timelines.sample, timelines.sample10],
      deletedEvery,
      nowMs,
    });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...rateHeaders(window) });
    res.end(JSON.stringify(body));
  };

  const server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;

  return {
    url: `http://${host}:${boundPort}`,
    port: boundPort,
    injectFault(fault) {
      schedule.add({ ...fault, atS: schedule.secondsSinceStart(clock.now()) });
      for (const connection of connections) connection.wake();
    },
    activeConnections: () => connections.size,
    openConnections: () => [...connections].map((connection) => connection.number),
    sampleIds: (fromMs, toMs) => timelines.sample.sampleIds(fromMs, toMs),
    failNextLookups(status, count) {
      for (let i = 0; i < count; i++) forcedLookupFailures.push(status);
    },
    stats: () => ({ connectionsAccepted: accepted, connectionsRejected: { ...rejected }, messagesSent, lookupRequests }),
    async close() {
      await new Promise<void>((resolve) => {
        for (const connection of connections) connection.stop();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      await ledger?.close();
    },
  };
}
