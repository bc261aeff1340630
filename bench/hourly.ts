// Benchmark of the hourly pipeline (DESIGN 13): a generated peak hour, the real `hourly` command as a child
// process, and the floor: xz compressing the same three (decompressed) output files one after another.
// Usage: npm run bench:hourly [-- --scale N] [--dir DIR] [--keep] [--part setup|measure --dir DIR]
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { openSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { minuteRelativePath, minuteStart } from '../src/contracts/index.js';
import { writeJsonAtomic } from '../src/platform/atomic-write.js';
import { describeLzmaBuild, findLzmaBuild } from '../src/health/lzma-build.js';
import { atMost, recordFigures } from './figures.js';
import { builtCli } from './build-cli.js';

const REPO = dirname(dirname(fileURLToPath(import.meta.url)));
const HOUR = Date.parse('2026-11-22T10:00:00Z');
const TWITTER_EPOCH_MS = 1288834974657;
const PER_SERVER = 180_000;
const MISSING_RATE = 0.003;

const { values } = parseArgs({
  options: { scale: { type: 'string' }, dir: { type: 'string' }, keep: { type: 'boolean' }, part: { type: 'string' } },
});
const scale = Number(values.scale ?? '1');

/** Deterministic PRNG (mulberry32), so every run benchmarks the same hour. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(42);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

const WORDS = [
  'the', 'and', 'für', 'naïve', 'café', 'über', 'señor', 'día', 'música', '東京', '今日は', 'ありがとう', '사랑해',
  'بالتوفيق', 'שלום', 'привет', 'мир', 'ok', 'lol', 'BTS', '#kpop', '#news', '@someone', 'https://t.co/AbCdEf1234',
  '😀', '🎉', '❤️', '👍🏽', '🇩🇪', 'NA', 'null', 'a,b', '"quoted"', 'it\'s', 'new\nline', 'lone\rreturn', 'tab\there',
  'release', 'tonight', 'breaking', 'match', 'goal', 'vote', 'weather', 'rain', 'sun', 'concert', 'stream', 'chart',
];
const LANGS = ['en', 'ja', 'es', 'pt', 'ar', 'ko', 'de', 'fr', 'tr', 'und'];
const SOURCES = ['Twitter for iPhone', 'Twitter for Android', 'Twitter Web App', 'TweetDeck'];

function text(words: number): string {
  let out = '';
  for (let i = 0; i < words; i++) out += (i > 0 ? ' ' : '') + pick(WORDS);
  return out;
}

function snowflake(ms: number, seq: number): string {
  return ((BigInt(ms - TWITTER_EPOCH_MS) << 22n) | BigInt(seq & 0x3fffff)).toString();
}

/** One generated tweet, as a spool line for a given receipt. */
type TweetLine = (retrievedMs: number, server: string) => string;

function makeTweet(index: number, createdMs: number, authors: number): TweetLine {
  const id = snowflake(createdMs, index);
  const authorId = String(100000 + Math.floor(random() * authors));
  const retweet = random() < 0.3;
  const data: Record<string, unknown> = {
    edit_history_tweet_ids: [id],
    author_id: authorId,
    lang: pick(LANGS),
    conversation_id: id,
    id,
    text: (retweet ? 'RT @someone: ' : '') + text(8 + Math.floor(random() * 30)),
    source: pick(SOURCES),
    created_at: new Date(createdMs).toISOString(),
  };
  if (retweet) data.referenced_tweets = [{ type: 'retweeted', id: snowflake(createdMs - 60_000, index + 7) }];
  const user = {
    id: authorId,
    name: text(2),
    username: `user_${authorId}`,
    location: random() < 0.5 ? '' : text(2),
    created_at: new Date(HOUR - Math.floor(random() * 3e11)).toISOString(),
    verified: random() < 0.01,
    protected: false,
    public_metrics: {
      followers_count: Math.floor(random() * 1e5),
      following_count: Math.floor(random() * 1e3),
      tweet_count: Math.floor(random() * 1e5),
      listed_count: Math.floor(random() * 100),
    },
  };
  const body = JSON.stringify({ data, includes: { users: [user] } }).slice(0, -1);
  return (retrievedMs, server) => `${body},"__meta":{"retrieved_at":"${new Date(retrievedMs).toISOString()}","server":"${server}"}}`;
}

/** Receipt minutes of both servers being filled; a minute is written once no later tweet can land in it. */
class MinuteFiles {
  readonly #open = new Map<string, { server: string; minute: number; lines: Array<{ ms: number; line: string }> }>();
  readonly server2: string[] = [];
  bytes = 0;

  constructor(private readonly spool: string) {}

  add(server: string, retrievedMs: number, line: string): void {
    const minute = minuteStart(retrievedMs);
    const key = `${server}/${minute}`;
    const entry = this.#open.get(key) ?? { server, minute, lines: [] };
    entry.lines.push({ ms: retrievedMs, line });
    this.#open.set(key, entry);
  }

  /** Writes every minute before `beforeMs`. */
  async flush(beforeMs: number): Promise<void> {
    for (const [key, entry] of this.#open) {
      if (entry.minute >= beforeMs) continue;
      this.#open.delete(key);
      const relative = minuteRelativePath(entry.server, entry.minute);
      await mkdir(dirname(join(this.spool, relative)), { recursive: true });
      // Lines of a minute file are in arrival order.
      entry.lines.sort((a, b) => a.ms - b.ms);
      const text = Buffer.from(entry.lines.map(({ line }) => `${line}\n`).join(''));
      this.bytes += text.length;
      await writeFile(join(this.spool, relative), text);
      if (entry.server === 'server2') this.server2.push(relative);
    }
  }
}

/** Writes both servers' spool files for the hour, streaming (bounded memory at any scale). */
async function generateSpool(spool: string): Promise<{ server2: string[]; bytes: number; tweets: number }> {
  const count = Math.round(PER_SERVER * scale);
  const files = new MinuteFiles(spool);
  for (let i = 0; i < count; i++) {
    const createdMs = HOUR + Math.floor(((i + random()) * 3_600_000) / count);
    const line = makeTweet(i, createdMs, Math.round(count * 0.8));
    for (const server of ['server1', 'server2']) {
      if (random() < MISSING_RATE) continue;
      // 99% arrive within a few seconds; the rest up to a minute later (DESIGN: 99% within 1 minute).
      const lag = random() < 0.01 ? 5_000 + random() * 60_000 : 300 + random() * 3_000;
      files.add(server, Math.floor(createdMs + lag), line(Math.floor(createdMs + lag), server));
    }
    if (i % 10_000 === 0) await files.flush(minuteStart(createdMs) - 2 * 60_000);
  }
  await files.flush(Number.POSITIVE_INFINITY);
  return { server2: files.server2, bytes: files.bytes, tweets: count };
}

async function writeStates(root: string, spool: string, watermarkIso: string, server2: readonly string[]): Promise<void> {
  const startedIso = new Date(HOUR).toISOString();
  await writeJsonAtomic(join(root, 'state', 'stream.json'), {
    format_version: 1,
    server: 'server1',
    first_started_at: startedIso,
    started_at: startedIso,
    updated_at: watermarkIso,
    connected: true,
    last_message_at: watermarkIso,
    watermark: watermarkIso,
    counters: { messages: 0, tweets: 0, errors: 0, malformed: 0, non_tweet: 0, reconnects: {} },
    gaps: [],
    segments: {},
    auth: { state: 'ok' },
  });
  const sent: Record<string, string> = {};
  for (const path of server2) sent[path] = createHash('sha256').update(readFileSync(join(spool, path))).digest('hex');
  await writeJsonAtomic(join(spool, 'server2', '.state', 'sync-state.json'), {
    format_version: 1,
    server: 'server2',
    complete_until: watermarkIso,
    gaps: [],
    backlog: { files: 0, bytes: 0, oldest_minute: null },
    sent,
    updated_at: watermarkIso,
  });
}

interface RunFigures {
  seconds: number;
  cpuSeconds: number;
  /** Peak of the summed RSS of the process tree, sampled every 50 ms. */
  treePeakMb: number;
  /** Peak RSS of the largest process (getrusage, exact). */
  peakRssMb: number;
  log: string;
}

/** Every descendant of `root` (reads /proc). */
function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended meanwhile.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

function treeRssKb(root: number): number {
  let sum = 0;
  for (const pid of processTree(root)) {
    try {
      sum += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // The process ended meanwhile.
    }
  }
  return sum;
}

/** Runs a command under /usr/bin/time: wall and CPU time, exact peak RSS, sampled peak RSS of the whole tree. */
async function measure(command: string, args: readonly string[], stdoutPath?: string): Promise<RunFigures> {
  const child = spawn('/usr/bin/time', ['-f', 'TIME %e %U %S %M', command, ...args], {
    cwd: REPO,
    env: { ...process.env, SAMPLED_STREAM_ALLOW_ROOT: '1' },
    stdio: ['ignore', stdoutPath === undefined ? 'pipe' : openSync(stdoutPath, 'w'), 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  let treePeakKb = 0;
  const sampler = setInterval(() => (treePeakKb = Math.max(treePeakKb, treeRssKb(child.pid!))), 50);
  const [code] = (await once(child, 'exit')) as [number];
  clearInterval(sampler);
  const match = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(err);
  if (code !== 0 || !match) throw new Error(`${command} ${args.join(' ')} failed (${code}): ${err}\n${out}`);
  return {
    seconds: Number(match[1]),
    cpuSeconds: Number(match[2]) + Number(match[3]),
    treePeakMb: treePeakKb / 1024,
    peakRssMb: Number(match[4]) / 1024,
    // One-shot commands log to stderr (JSON when it is not a terminal), so the log is both streams.
    log: out + err,
  };
}

function runHourly(main: string, configPath: string, nowIso: string): Promise<RunFigures> {
  return measure(process.execPath, [main, 'hourly', '--config', configPath, '--now', nowIso]);
}

/** The floor: `xz -<preset> -T2 --block-size` on each decompressed output file, one after another. */
async function floorOf(
  files: readonly string[],
  preset: number,
  blockMib: number,
  work: string,
): Promise<{ seconds: number; cpuSeconds: number; sizes: number[] }> {
  const floor = { seconds: 0, cpuSeconds: 0, sizes: [] as number[] };
  for (const file of files) {
    const plain = join(work, basename(file, '.xz'));
    execFileSync('sh', ['-c', `xz -dc '${file}' > '${plain}'`]);
    const run = await measure('xz', [`-${preset}`, '-T2', `--block-size=${blockMib}MiB`, '-c', plain], `${plain}.xz`);
    floor.seconds += run.seconds;
    floor.cpuSeconds += run.cpuSeconds;
    floor.sizes.push((await stat(`${plain}.xz`)).size);
  }
  return floor;
}

/** The ingest run's figures, kept in the bench folder between `--part setup` and `--part measure`. */
const setupFile = (root: string) => join(root, 'setup.json');

/** Generates the hour's spool and runs `hourly` once to ingest it (the hour is not ready yet). */
async function setUp(root: string, configPath: string, main: string): Promise<RunFigures> {
  const spool = join(root, 'spool');
  for (const dir of ['spool', 'state', 'staging', 'vault', 'work', 'secrets']) await mkdir(join(root, dir), { recursive: true });
  await writeFile(join(root, 'secrets', 'token'), 'bench\n', { mode: 0o600 });
  await writeFile(configPath, JSON.stringify({
    server: 'server1',
    paths: { spool, state: join(root, 'state'), staging: join(root, 'staging'), vault: join(root, 'vault') },
    x_api: { bearer_token_file: join(root, 'secrets', 'token') },
    hourly: { first_hour: '2026-11-22T10' },
  }));
  console.log(`generating ${scale} x ${PER_SERVER} tweets per server in ${root} ...`);
  const generated = await generateSpool(spool);
  console.log(`spool: ${(generated.bytes / 1e6).toFixed(0)} MB in ${generated.server2.length} server 2 files (+ server 1's)`);
  await writeStates(root, spool, '2026-11-22T11:03:00.000Z', generated.server2);
  const ingest = await runHourly(main, configPath, '2026-11-22T11:03:30Z');
  await writeJsonAtomic(setupFile(root), ingest);
  return ingest;
}

/** The measured run: `hourly` publishes the ingested hour, then the floor compresses the same three files. */
async function measurePublish(root: string, configPath: string, main: string, ingest: RunFigures): Promise<void> {
  const preset = 6;
  const blockMib = 8;
  await writeStates(root, join(root, 'spool'), '2026-11-22T11:06:00.000Z', []);
  const publish = await runHourly(main, configPath, '2026-11-22T11:06:30Z');
  const published = publish.log.split('\n').find((l) => l.includes('hour published'));
  const day = join(root, 'vault', '2026-11-22');
  const outputs = ['IDs.txt.xz', 'tweets.csv.xz', 'users.csv.xz'].map((suffix) => join(day, `2026-11-22_10_${suffix}`));
  for (const file of outputs) execFileSync('xz', ['-t', '-T2', file]);
  const ours = await Promise.all(outputs.map(async (file) => (await stat(file)).size));
  const floor = await floorOf(outputs, preset, blockMib, join(root, 'work'));
  const total = Math.round(PER_SERVER * scale);
  // Issue 13's targets (newer than DESIGN 13's 1.15x): the 10% stream gets more room than the 1% one.
  const wallTarget = scale >= 10 ? 1.2 : 1.1;
  const rssTargetMb = scale >= 10 ? 600 : 450;
  const line = (label: string, value: string) => console.log(`${label.padEnd(36)} ${value}`);
  const run = (figures: RunFigures) =>
    `${figures.seconds.toFixed(2)} s wall, ${figures.cpuSeconds.toFixed(2)} s CPU, ` +
    `peak RSS ${figures.peakRssMb.toFixed(0)} MB (tree ${figures.treePeakMb.toFixed(0)} MB)`;
  line('published', published ?? '(no publish line)');
  line('lzma-native binary', describeLzmaBuild(await findLzmaBuild()).detail);
  line('load average at the end', loadavg().map((l) => l.toFixed(2)).join(' '));
  line('ingest run (all spool files)', run(ingest));
  line('publish run (merge + 3 xz files)', run(publish));
  line('floor (xz -T2, three files)', `${floor.seconds.toFixed(2)} s wall, ${floor.cpuSeconds.toFixed(2)} s CPU`);
  line('ratio publish / floor (wall)', `${(publish.seconds / floor.seconds).toFixed(3)} (target <= ${wallTarget})`);
  line('ratio publish / floor (CPU)', (publish.cpuSeconds / floor.cpuSeconds).toFixed(3));
  line('ratio ingest+publish / floor (wall)', ((ingest.seconds + publish.seconds) / floor.seconds).toFixed(3));
  outputs.forEach((file, i) => {
    const percent = ((ours[i]! / floor.sizes[i]! - 1) * 100).toFixed(2);
    line(`size ${basename(file)}`, `${ours[i]} vs floor ${floor.sizes[i]} (${percent}%)`);
  });
  line('tweets/s (both servers, publish run)', `${Math.round((2 * total) / publish.seconds)}`);
  line('tweets/s (both servers, both runs)', `${Math.round((2 * total) / (ingest.seconds + publish.seconds))}`);
  line('peak RSS target', `< ${rssTargetMb} MB`);
  const sum = (sizes: readonly number[]) => sizes.reduce((a, b) => a + b, 0);
  await recordFigures([
    atMost({ bench: 'hourly', figure: `hourly wall / floor, scale ${scale}`, value: publish.seconds / floor.seconds, unit: 'x', baseline: { label: 'floor: xz -6 -T2, s', value: floor.seconds } }, wallTarget),
    atMost({ bench: 'hourly', figure: `hourly peak RSS of the process tree, scale ${scale}`, value: Math.max(ingest.treePeakMb, publish.treePeakMb), unit: 'MB' }, rssTargetMb, true),
    atMost({ bench: 'hourly', figure: 'compressed size / floor', value: sum(ours) / sum(floor.sizes), unit: 'x', baseline: { label: 'floor bytes', value: sum(floor.sizes) } }, 1.01),
  ]);
}

/**
 * `--part setup` and `--part measure` (both with `--dir`) split the bench for `npm run bench`, which runs the
 * setup beside the paced stream daemons: only the publish run and its floor need the machine to themselves.
 */
async function main(): Promise<void> {
  const part = values.part ?? 'all';
  if (!['all', 'setup', 'measure'].includes(part)) throw new Error(`--part must be all, setup or measure: got "${part}"`);
  if (part !== 'all' && values.dir === undefined) throw new Error(`--part ${part} needs --dir, the folder both parts share`);
  const root = values.dir ?? (await mkdtemp(join(tmpdir(), 'bench-hourly-')));
  const configPath = join(root, 'server_settings.json');
  const main = builtCli();
  const ingest =
    part === 'measure'
      ? (JSON.parse(readFileSync(setupFile(root), 'utf8')) as RunFigures)
      : await setUp(root, configPath, main);
  if (part === 'setup') return;
  await measurePublish(root, configPath, main, ingest);
  if (!values.keep && values.dir === undefined) await rm(root, { recursive: true, force: true });
}

await main();
