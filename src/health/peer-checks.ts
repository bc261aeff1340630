import { access, constants } from 'node:fs/promises';
import nodemailer from 'nodemailer';
import type { Settings } from '../config/index.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { DEFAULT_SMTP_TIMEOUTS, readSmtpSecrets, smtpTransportOptions } from '../notify/mailer.js';
import { measureClockSkew } from '../notify/clock-skew.js';
import { MAX_CLOCK_SKEW_MS } from '../notify/conditions.js';
import { openOsfConnection } from '../osf/osf-connection.js';
import { readStreamState } from '../contracts/index.js';
import { streamUrl } from '../stream/index.js';
import { openStream } from '../stream/connection.js';
import { StreamHttpError } from '../stream/stream-errors.js';
import { HostKeyMismatchError, openTransport } from '../sync/index.js';
import { checkBearerToken, toXApiError } from '../xapi/index.js';
import { fail, pass, warn, type CheckResult } from './check-result.js';
import { MINUTE_MS } from '../platform/time.js';

/** A daemon whose state is this fresh is asked instead of opening a second connection. */
const FRESH_STATE_MS = 2 * MINUTE_MS;
const PEER_TIMEOUT_MS = 15_000;

/**
 * Tries the token file itself with one REST call through src/xapi (issue 15.3), so an empty, unreadable or
 * refused token fails `check` even while the daemon still runs with the old one. A spent lookup window still
 * proves the token. Returns the failure, or the words to put in front of the stream's result.
 */
async function tryBearerToken(settings: Settings): Promise<CheckResult | string> {
  const name = 'X API';
  try {
    const { rateLimit } = await checkBearerToken({ baseUrl: settings.x_api.base_url, tokenFile: settings.x_api.bearer_token_file });
    return `GET /2/tweets ok${rateLimit ? ` (${rateLimit.remaining}/${rateLimit.limit} lookups left in the window)` : ''}`;
  } catch (err) {
    const failure = toXApiError(err, 'GET /2/tweets');
    if (failure.kind === 'rate-limit') return 'token accepted (lookup window spent: 429)';
    const fix =
      failure.kind === 'network'
        ? 'check x_api.base_url, DNS and the firewall'
        : failure.kind === 'server'
          ? 'retry later; if it persists, check the X API status page'
          : failure.kind === 'token-file'
            ? 'write the app bearer token, alone on one line, into the regular file x_api.bearer_token_file names (mode 600)'
            : failure.kind === 'unauthorized'
              ? 'put a valid app bearer token in x_api.bearer_token_file (chmod 600)'
              : (failure.hint ?? 'put a valid app bearer token (with access to this stream) in x_api.bearer_token_file');
    return fail(name, failure.message, fix);
  }
}

/**
 * X API: first the token file through one REST call; then the local daemon's auth state when it is connected
 * (a second connection could take its slot), else one short stream connection. A 429 TooManyConnections still
 * proves the token (DESIGN 10).
 */
export async function checkXApi(settings: Settings, clock: Clock): Promise<CheckResult> {
  const token = await tryBearerToken(settings);
  if (typeof token !== 'string') return token;
  const stream = await checkStreamAccess(settings, clock);
  return { ...stream, detail: `${token}; ${stream.detail}` };
}

/** The stream half of checkXApi(). */
async function checkStreamAccess(settings: Settings, clock: Clock): Promise<CheckResult> {
  const name = 'X API';
  const state = await readStreamState(settings.paths.state).catch(() => null);
  if (state && state.connected && clock.now() - Date.parse(state.updated_at) < FRESH_STATE_MS) {
    return state.auth.state === 'rejected'
      ? fail(name, `the daemon's token was rejected: ${state.auth.detail ?? state.auth.status}`, 'replace the token in x_api.bearer_token_file')
      : pass(name, `the stream daemon is connected (last message ${state.last_message_at ?? 'none yet'})`);
  }
  const url = streamUrl(settings.x_api, settings.x_api.stream === 'sample10' ? (settings.x_api.partitions[0] ?? 1) : null);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${PEER_TIMEOUT_MS / 1000} s`)), PEER_TIMEOUT_MS);
  try {
    const response = await openStream({ url, tokenFile: settings.x_api.bearer_token_file }, controller.signal);
    response.destroy();
    return pass(name, `token accepted, stream opened at ${url.origin}`);
  } catch (err) {
    if (err instanceof StreamHttpError) {
      if (err.status === 429 && /TooManyConnections/.test(err.body)) {
        return pass(name, 'token accepted; all connection slots are in use (429 TooManyConnections)');
      }
      const fix =
        err.status === 401 || err.status === 403
          ? 'put a valid app bearer token (with access to this stream) in x_api.bearer_token_file'
          : err.status === 400
            ? 'fix x_api fields/expansions to values the API accepts'
            : 'retry later; if it persists, check the X API status page';
      return fail(name, `the API answered ${err.status}: ${err.apiMessage}`, fix);
    }
    return fail(name, `cannot open ${url.origin}: ${(err as Error).message}`, 'check x_api.base_url, DNS and the firewall');
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** SFTP (server 2): connect with the pinned host key and list the remote spool. */
export async function checkSync(settings: Settings, log: Logger): Promise<CheckResult> {
  const name = 'sync target';
  if (settings.sync.transport === 'local') {
    const target = settings.sync.local_target ?? '';
    return access(target, constants.W_OK).then(
      () => pass(name, `local folder ${target} writable`),
      (err: NodeJS.ErrnoException) => fail(name, `local folder ${target}: ${err.code}`, `mkdir -p ${target} and let the service user write it`),
    );
  }
  try {
    const transport = await openTransport(settings, log);
    try {
      await transport.list('');
      return pass(name, `SFTP ${transport.target}: host key pinned, login and listing ok`);
    } finally {
      await transport.close();
    }
  } catch (err) {
    if (err instanceof HostKeyMismatchError) return fail(name, err.message, 'pin the host key as described above');
    return fail(
      name,
      `SFTP ${settings.sync.username}@${settings.sync.host}:${settings.sync.port}: ${(err as Error).message}`,
      "add the public key of sync.private_key_file to server 1's authorized_keys and check sync.remote_spool",
    );
  }
}

/** SMTP: connect, TLS as configured (verified), and log in when a username is set. */
export async function checkSmtp(settings: Settings): Promise<CheckResult> {
  const name = 'SMTP';
  const email = settings.email;
  try {
    const transport = nodemailer.createTransport(smtpTransportOptions(email, await readSmtpSecrets(email), DEFAULT_SMTP_TIMEOUTS));
    try {
      await transport.verify();
    } finally {
      transport.close();
    }
    return pass(name, `${email.smtp_host}:${email.smtp_port} (${email.tls}) ${email.username ? 'login ok' : 'accepts connections'}`);
  } catch (err) {
    return fail(name, `${email.smtp_host}:${email.smtp_port}: ${(err as Error).message}`, 'check email.smtp_host, smtp_port, tls, ca_file and the credentials');
  }
}

/** OSF: the token opens the project's osfstorage root. */
export async function checkOsf(settings: Settings, clock: Clock): Promise<CheckResult> {
  const name = 'OSF';
  try {
    const { client } = await openOsfConnection(settings, clock);
    const result = await client.listFolder('');
    if (result.status === 200) return pass(name, `token accepted, project ${settings.osf.project_id} reachable`);
    if (result.status === 401 || result.status === 403) {
      return fail(name, `the token was refused (${result.status})`, 'create a personal access token with osf.full_write and put it in osf.token_file');
    }
    if (result.status === 404) return fail(name, `project ${settings.osf.project_id} not found`, 'set osf.project_id to the 5-character project ID from its URL');
    return fail(name, `${settings.osf.base_url} answered ${result.status || result.error}`, 'check osf.base_url and the network');
  } catch (err) {
    return fail(name, (err as Error).message, 'fix the osf settings named above');
  }
}

/** Clock skew against the X API's Date header (DESIGN 8): more than 2 s breaks minute files and readiness. */
export async function checkClockSkew(settings: Settings, clock: Clock): Promise<CheckResult> {
  const name = 'clock';
  const skewMs = await measureClockSkew(settings.x_api.base_url, { now: () => clock.now(), timeoutMs: PEER_TIMEOUT_MS });
  if (skewMs === null) return warn(name, `cannot read a Date header from ${settings.x_api.base_url}`, 'check the network; the skew is checked again by watch');
  const detail = `${Math.abs(skewMs)} ms ${skewMs > 0 ? 'behind' : 'ahead of'} the X API`;
  return Math.abs(skewMs) <= MAX_CLOCK_SKEW_MS
    ? pass(name, detail)
    : fail(name, detail, 'enable time synchronisation: timedatectl set-ntp true (systemd-timesyncd or chrony)');
}
