import { isAbsolute } from 'node:path';
import { z } from 'zod';

/** Settings shape and defaults, DESIGN 9. The only place defaults live. */

const absolutePath = z
  .string({ error: 'must be an absolute path (a string starting with /)' })
  .refine((p) => isAbsolute(p), { message: 'must be an absolute path (a string starting with /)' });
const intIn = (min: number, max: number) =>
  z
    .number({ error: `must be an integer from ${min} to ${max}` })
    .int({ message: `must be an integer from ${min} to ${max}` })
    .min(min, { message: `must be an integer from ${min} to ${max}` })
    .max(max, { message: `must be an integer from ${min} to ${max}` });
const bool = z.boolean({ error: 'must be true or false' });
const nonEmpty = z.string({ error: 'must be a non-empty string' }).min(1, { message: 'must be a non-empty string' });
const fieldList = z.array(nonEmpty, { error: 'must be a list of strings' });
const cronExpression = nonEmpty;
const hostPort = z
  .string({ error: 'must be "host:port", e.g. "127.0.0.1:9464"' })
  .regex(/^[^\s:]+:\d{1,5}$/, { message: 'must be "host:port", e.g. "127.0.0.1:9464"' });
const hourId = z
  .string({ error: 'must be an hour "YYYY-MM-DDTHH" (UTC)' })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}$/, { message: 'must be an hour "YYYY-MM-DDTHH" (UTC)' });
const email = z.string({ error: 'must be an email address' }).regex(/^[^\s@]+@[^\s@]+$/, {
  message: 'must be an email address like "ops@example.org"',
});

/** Fields the tweets CSV needs (DESIGN 4): the stream default asks for at least these. */
export const DEFAULT_TWEET_FIELDS = [
  'author_id',
  'conversation_id',
  'created_at',
  'lang',
  'source',
  'referenced_tweets',
  'text',
] as const;
export const DEFAULT_USER_FIELDS = [
  'created_at',
  'location',
  'name',
  'protected',
  'public_metrics',
  'username',
  'verified',
] as const;
export const DEFAULT_EXPANSIONS = ['author_id'] as const;

/** The stream's default field and expansion lists, as the x_api settings hold them (fresh arrays). */
export function defaultFieldLists(): Record<'tweet_fields' | 'user_fields' | 'expansions' | 'media_fields' | 'place_fields' | 'poll_fields', string[]> {
  return {
    tweet_fields: [...DEFAULT_TWEET_FIELDS],
    user_fields: [...DEFAULT_USER_FIELDS],
    expansions: [...DEFAULT_EXPANSIONS],
    media_fields: [],
    place_fields: [],
    poll_fields: [],
  };
}

const pathsSchema = z.strictObject({
  spool: absolutePath,
  state: absolutePath,
  staging: absolutePath,
  vault: absolutePath,
});

const xApiSchema = z.strictObject({
  base_url: z.url({ message: 'must be an http(s) URL like "https://api.x.com"' }).default('https://api.x.com'),
  bearer_token_file: absolutePath,
  stream: z.enum(['sample', 'sample10'], { error: 'must be "sample" or "sample10"' }).default('sample'),
  partitions: z.array(intIn(1, 2), { error: 'must be a list of partition numbers (1, 2)' }).min(1).default([1, 2]),
  tweet_fields: fieldList.default([...DEFAULT_TWEET_FIELDS]),
  user_fields: fieldList.default([...DEFAULT_USER_FIELDS]),
  expansions: fieldList.default([...DEFAULT_EXPANSIONS]),
  media_fields: fieldList.default([]),
  place_fields: fieldList.default([]),
  poll_fields: fieldList.default([]),
  stall_timeout_s: intIn(5, 600).default(30),
  backfill_minutes: intIn(0, 5).default(0),
});

/** Every key optional here: which ones a command needs is checked by requireSync() (DESIGN 9). */
const syncSchema = z.strictObject({
  transport: z.enum(['sftp', 'local'], { error: 'must be "sftp" or "local"' }).default('sftp'),
  host: nonEmpty.nullish(),
  port: intIn(1, 65535).default(22),
  username: nonEmpty.nullish(),
  private_key_file: absolutePath.nullish(),
  known_hosts_file: absolutePath.nullish(),
  remote_spool: absolutePath.nullish(),
  local_target: absolutePath.nullish(),
  keep_sent_h: intIn(0, 24 * 365).default(24),
});

const hourlySchema = z.strictObject({
  lateness_min: intIn(0, 24 * 60).default(5),
  max_wait_min: intIn(0, 7 * 24 * 60).default(30),
  staging_retention_h: intIn(1, 24 * 365).default(48),
  amend_interval_min: intIn(0, 24 * 60).default(60),
  first_hour: hourId.nullable().default(null),
  xz_preset: intIn(0, 9).default(6),
  xz_threads: intIn(0, 64).default(0),
  xz_block_mib: intIn(1, 1024).default(8),
  csv_schema: z.enum(['original', 'extended'], { error: 'must be "original" or "extended"' }).default('original'),
  archive_raw: bool.default(false),
  raw_xz_preset: intIn(0, 9).default(1),
  keep_spool_h: intIn(0, 24 * 365).default(0),
  /** Tweets created more than this many hours before their receipt go to <state>/quarantine/skewed/. */
  max_created_skew_h: intIn(1, 24 * 365).default(48),
  output_timezone: nonEmpty.default('UTC'),
  expect_server2: bool.default(true),
});

/** Days `hourly` keeps files that only an operator would otherwise remove; 0 keeps them for ever. */
const retentionSchema = z.strictObject({
  quarantine_days: intIn(0, 3650).default(30),
  late_days: intIn(0, 3650).default(30),
  /** Days after its hour ends that a closed hour's `<label>_raw.jsonl.xz` (`hourly.archive_raw`) stays in the vault. */
  raw_archive_days: intIn(0, 3650).default(0),
});

const osfSchema = z.strictObject({
  enabled: bool.default(false),
  base_url: z.url({ message: 'must be an http(s) URL like "https://files.osf.io"' }).default('https://files.osf.io'),
  project_id: nonEmpty.nullish(),
  token_file: absolutePath.nullish(),
  fail_alert_h: intIn(0, 24 * 365).default(6),
});

const emailSchema = z.strictObject({
  enabled: bool.default(false),
  smtp_host: nonEmpty.nullish(),
  smtp_port: intIn(1, 65535).default(587),
  tls: z.enum(['starttls', 'tls', 'none'], { error: 'must be "starttls", "tls" or "none"' }).default('starttls'),
  ca_file: absolutePath.nullable().default(null),
  username: nonEmpty.nullable().default(null),
  password_file: absolutePath.nullable().default(null),
  from: email.nullish(),
  to: z.array(email, { error: 'must be a list of email addresses' }).nullish(),
  report_time: z
    .string({ error: 'must be a time "HH:MM"' })
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time "HH:MM" (24-hour)' })
    .default('02:00'),
  alert_interval_min: intIn(1, 7 * 24 * 60).default(60),
  silence_alert_min: intIn(1, 24 * 60).default(10),
  sync_backlog_alert_min: intIn(1, 24 * 60).default(15),
});

/** Local alert thresholds (`watch`, the stream daemon, `hourly`). */
const alertsSchema = z.strictObject({
  min_free_gb: z.number({ error: 'must be a number of GB' }).min(0).default(10),
});

const scheduleSchema = z.strictObject({
  sync: cronExpression.default('* * * * *'),
  hourly: cronExpression.default('*/5 * * * *'),
  watch: cronExpression.default('* * * * *'),
});

const metricsSchema = z.strictObject({
  stream_listen: hostPort.nullable().default(null),
  scheduler_listen: hostPort.nullable().default(null),
});

export const settingsSchema = z.strictObject({
  server: z.enum(['server1', 'server2'], { error: 'must be "server1" or "server2"' }),
  paths: pathsSchema,
  x_api: xApiSchema,
  sync: syncSchema.prefault({}),
  hourly: hourlySchema.prefault({}),
  retention: retentionSchema.prefault({}),
  osf: osfSchema.prefault({}),
  email: emailSchema.prefault({}),
  alerts: alertsSchema.prefault({}),
  schedule: scheduleSchema.prefault({}),
  metrics: metricsSchema.prefault({}),
});

export type Settings = Readonly<z.output<typeof settingsSchema>>;
export type ServerName = Settings['server'];
export type SyncSection = Settings['sync'];
export type HourlySettings = Settings['hourly'];
export type EmailSection = Settings['email'];
export type OsfSection = Settings['osf'];
