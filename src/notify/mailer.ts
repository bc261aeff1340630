import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import nodemailer, { type SendMailOptions, type SMTPTransportOptions } from 'nodemailer';
import type { EmailSection } from '../config/index.js';
import type { Logger } from '../platform/logger.js';
import { readSecretFile } from '../platform/secret-file.js';

/** One mail to the configured recipients. */
export interface OutgoingMail {
  subject: string;
  text: string;
  html?: string;
}

/** Outcome of a send: mail failures are values, never exceptions (DESIGN 8: they never stop collection). */
export type SendResult = { ok: true; messageId: string } | { ok: false; error: Error };

/** Sends mails; the SMTP mailer and test doubles implement it. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<SendResult>;
}

/** Limits on every SMTP step, so a hanging server never blocks the caller for long. */
export interface SmtpTimeouts {
  /** TCP (and implicit TLS) connect. */
  connectionMs: number;
  /** Server greeting after connect. */
  greetingMs: number;
  /** Inactivity on an open connection. */
  socketMs: number;
  /** The whole send, from connect to the server's final reply. */
  totalMs: number;
}

/** Timeouts of the real mailer: far below a minute, so `watch` finishes within its schedule. */
export const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = {
  connectionMs: 15_000,
  greetingMs: 15_000,
  socketMs: 20_000,
  totalMs: 45_000,
};

/** The file contents an SMTP connection needs: an extra trusted CA and the AUTH password. */
export interface SmtpSecrets {
  caPem: string | null;
  password: string | null;
}

/**
 * nodemailer SMTP options for the `email` settings (DESIGN 8): STARTTLS required unless `tls` says 'tls'
 * (implicit TLS) or 'none'; certificates always verified; `ca_file` added to the system CAs; AUTH only
 * with a username.
 */
export function smtpTransportOptions(
  email: EmailSection,
  secrets: SmtpSecrets,
  timeouts: SmtpTimeouts,
): SMTPTransportOptions {
  return {
    host: email.smtp_host ?? undefined,
    port: email.smtp_port,
    secure: email.tls === 'tls',
    requireTLS: email.tls === 'starttls',
    ignoreTLS: email.tls === 'none',
    // Node replaces its default CAs when `ca` is given, so the system roots are passed along.
    tls: {
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      ...(secrets.caPem === null ? {} : { ca: [...rootCertificates, secrets.caPem] }),
    },
    ...(email.username === null ? {} : { auth: { user: email.username, pass: secrets.password ?? '' } }),
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
    dnsTimeout: timeouts.connectionMs,
    socketCloseTimeout: 1_000,
  };
}

/** Reads the CA file and the password file named in the `email` settings (the password file must be 0600). */
export async function readSmtpSecrets(email: EmailSection): Promise<SmtpSecrets> {
  const caPem = email.ca_file === null ? null : await readFile(email.ca_file, 'utf8');
  const password =
    email.username === null || email.password_file === null
      ? null
      : await readSecretFile('email.password_file', email.password_file);
  return { caPem, password };
}

/** Display name of every mail's sender. */
const SENDER_NAME = 'sampled-stream';

function content(mail: OutgoingMail): SendMailOptions {
  return { subject: mail.subject, text: mail.text, ...(mail.html === undefined ? {} : { html: mail.html }) };
}

/** The message fields of `mail` with the configured sender and recipients. */
export function mailOptions(email: EmailSection, mail: OutgoingMail): SendMailOptions {
  const { from, to } = email;
  if (from == null || to == null || to.length === 0) {
    throw new TypeError("Cannot address the mail: set 'email.from' and 'email.to' in the settings");
  }
  return { from: { name: SENDER_NAME, address: from }, to, ...content(mail) };
}

/** Sender of a dry-run message when `email.from` is not set (email disabled). */
const PLACEHOLDER_FROM = 'sampled-stream@localhost';

/** The full MIME message of `mail` (what `report --dry-run` writes as .eml); works without email settings. */
export async function composeMime(email: EmailSection, mail: OutgoingMail, nowMs: number): Promise<Buffer> {
  const options: SendMailOptions = {
    from: { name: SENDER_NAME, address: email.from ?? PLACEHOLDER_FROM },
    ...(email.to == null || email.to.length === 0 ? {} : { to: email.to }),
    ...content(mail),
  };
  // streamTransport also turns the body's bare LF into CRLF, as an SMTP transport would.
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await transport.sendMail({ ...options, date: new Date(nowMs) });
  return info.message as Buffer;
}

/** What createMailer() needs besides the settings. */
export interface MailerDeps {
  log: Logger;
  /** @default DEFAULT_SMTP_TIMEOUTS */
  timeouts?: SmtpTimeouts;
}

/** A mailer sending through the SMTP server of the `email` settings, one connection per mail. */
export function createMailer(email: EmailSection, deps: MailerDeps): Mailer {
  const { log, timeouts = DEFAULT_SMTP_TIMEOUTS } = deps;
  const where = { host: email.smtp_host, port: email.smtp_port, tls: email.tls };
  return {
    async send(mail) {
      try {
        const transport = nodemailer.createTransport(smtpTransportOptions(email, await readSmtpSecrets(email), timeouts));
        try {
          const info = await transport.sendMail({ ...mailOptions(email, mail), signal: AbortSignal.timeout(timeouts.totalMs) });
          log.info({ ...where, subject: mail.subject, messageId: info.messageId }, 'mail sent');
          return { ok: true, messageId: info.messageId };
        } finally {
          transport.close();
        }
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        log.warn({ ...where, subject: mail.subject, err: error }, 'mail not sent');
        return { ok: false, error };
      }
    },
  };
}

/** The SMTP mailer when `email.enabled`, else null (callers then only log what they would send). */
export function mailerFor(email: EmailSection, deps: MailerDeps): Mailer | null {
  return email.enabled ? createMailer(email, deps) : null;
}
