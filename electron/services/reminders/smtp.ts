/**
 * The clinic's SMTP server, through nodemailer: a transport built from the settings, one message handed over,
 * and the server's answer or the failure in words a clinic's IT person acts on (connection refused,
 * authentication failed, TLS mismatch, ...), with whether trying again later may help.
 */
import nodemailer from 'nodemailer'
import type { ClinicSettings } from '../../../shared/schemas/settings'

export interface SmtpConfig {
  host: string
  port: number
  tls: ClinicSettings['smtpTls']
  user: string
  password: string
  from: string
}

export function smtpConfig(settings: ClinicSettings, password: string): SmtpConfig {
  return { host: settings.smtpHost, port: settings.smtpPort, tls: settings.smtpTls, user: settings.smtpUser, password, from: settings.reminderFrom }
}

/** The limits of one conversation with the server: a run never waits longer than this on one message. */
export const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 }

export function createSmtpTransport(c: SmtpConfig) {
  return nodemailer.createTransport({
    host: c.host,
    port: c.port,
    // tls: TLS from the first byte (465); starttls: plain first, then STARTTLS, refused if the server offers none;
    // none: never upgrade (a relay inside the clinic's network only).
    secure: c.tls === 'tls',
    requireTLS: c.tls === 'starttls',
    ignoreTLS: c.tls === 'none',
    ...(c.user !== '' ? { auth: { user: c.user, pass: c.password } } : {}),
    ...SMTP_TIMEOUTS,
  })
}

export interface OutgoingMessage {
  to: string
  subject: string
  text: string
  /** Stable per outbox row: the same reminder handed over twice carries the same Message-ID. */
  messageId: string
}

export interface Delivered {
  /** The server's last answer, e.g. "250 2.0.0 Ok: queued as 4F2A1" */
  response: string
  messageId: string
}

export class SmtpFailure extends Error {
  constructor(
    message: string,
    /** true: the server did not answer or said "try later" (4xx); worth another attempt. */
    readonly temporary: boolean,
    readonly responseCode?: number,
  ) {
    super(message)
    this.name = 'SmtpFailure'
  }
}

export async function sendMessage(c: SmtpConfig, m: OutgoingMessage, transport = createSmtpTransport(c)): Promise<Delivered> {
  try {
    const info = await transport.sendMail({ from: c.from, to: m.to, subject: m.subject, text: m.text, messageId: m.messageId })
    return { response: String(info.response ?? ''), messageId: String(info.messageId ?? m.messageId) }
  } catch (err) {
    throw explainSmtpError(err, c)
  } finally {
    transport.close()
  }
}

/** A nodemailer error in words, and whether it is worth trying again. */
export function explainSmtpError(err: unknown, c: Pick<SmtpConfig, 'host' | 'port' | 'tls'>): SmtpFailure {
  const e = (err ?? {}) as { code?: string; responseCode?: number; response?: string; message?: string }
  const at = `${c.host}:${c.port}`
  const server = e.response ? ` The server said: ${e.response.trim()}` : ''
  const raw = e.message ?? String(err)
  if (e.code === 'EAUTH' || e.responseCode === 535) return new SmtpFailure(`Authentication failed at ${at}: check the SMTP user and password.${server}`, false, e.responseCode)
  if (e.code === 'ENOAUTH') return new SmtpFailure(`The SMTP server at ${at} wants a user and password, and none is set.${server}`, false, e.responseCode)
  if (/certificate|CERT_|self[- ]signed|unable to verify/i.test(raw)) {
    return new SmtpFailure(
      `The SMTP server at ${at} showed a TLS certificate this computer does not trust (${raw}). Use the server's name as its certificate gives it, or have IT add the clinic's certificate authority (NODE_EXTRA_CA_CERTS).`,
      false,
      e.responseCode,
    )
  }
  if (e.code === 'ETLS' || /wrong version number|ssl3_get_record|packet length too long|unknown protocol|STARTTLS/i.test(raw)) {
    const hint = c.tls === 'tls' ? 'the server does not speak TLS from the start on this port: try STARTTLS (usually port 587)' : c.tls === 'starttls' ? 'the server did not offer STARTTLS, or its TLS failed: try TLS (usually port 465), or ask the server\'s administrator' : 'try STARTTLS or TLS'
    return new SmtpFailure(`TLS mismatch with ${at}: ${hint}. (${raw})`, false, e.responseCode)
  }
  if (/ECONNREFUSED/.test(raw)) return new SmtpFailure(`Connection refused by ${at}: no SMTP server listens there (check the host and port, or whether the server is running).`, true)
  if (/ENOTFOUND|EAI_AGAIN/.test(raw) || e.code === 'EDNS') return new SmtpFailure(`The SMTP server's name ${c.host} cannot be found (check the host name, or this computer's network).`, true)
  if (e.code === 'ETIMEDOUT' || /timeout/i.test(raw)) {
    return new SmtpFailure(`${at} did not answer in time${c.tls === 'tls' ? ' (a server that expects STARTTLS never answers a TLS greeting: check the TLS mode)' : ''}.`, true)
  }
  if (typeof e.responseCode === 'number') {
    const temporary = e.responseCode >= 400 && e.responseCode < 500
    return new SmtpFailure(`${temporary ? 'The SMTP server asked to try again later' : 'The SMTP server refused the message'} (${e.responseCode}).${server}`, temporary, e.responseCode)
  }
  if (e.code === 'ECONNECTION' || e.code === 'ESOCKET' || /ECONNRESET|EPIPE|closed/i.test(raw)) return new SmtpFailure(`The connection to ${at} was lost: ${raw}`, true)
  return new SmtpFailure(`Sending through ${at} failed: ${raw}`, true)
}
