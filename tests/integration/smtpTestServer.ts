/**
 * A real SMTP server on 127.0.0.1 for the reminder tests (the `smtp-server` package): it keeps every message it
 * accepted (envelope, Message-ID, subject, decoded text), can answer "451 try later" to the next n messages, and
 * can require a user and password.
 */
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

export interface Received {
  to: string[]
  messageId: string
  subject: string
  text: string
  raw: string
}

export interface TestSmtp {
  port: number
  received: Received[]
  /** the next n messages are refused with 451 (a temporary failure) */
  refuseNext(n: number): void
  close(): Promise<void>
}

/** Quoted-printable, as nodemailer writes long or non-ASCII lines. */
function decodeQp(body: string): string {
  const bytes = Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1')
  return bytes.toString('utf8')
}

function parse(raw: string, to: string[]): Received {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/)
  const headers = head.replace(/\r?\n[ \t]+/g, ' ')
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(headers)?.[1]?.trim() ?? ''
  const body = rest.join('\n\n')
  const qp = /quoted-printable/i.test(header('Content-Transfer-Encoding'))
  const b64 = /base64/i.test(header('Content-Transfer-Encoding'))
  const text = qp ? decodeQp(body) : b64 ? Buffer.from(body, 'base64').toString('utf8') : body
  return { to, messageId: header('Message-ID'), subject: header('Subject'), text: text.replace(/\r\n/g, '\n'), raw }
}

export async function startTestSmtp(opts: { user?: string; password?: string; starttls?: boolean } = {}): Promise<TestSmtp> {
  const received: Received[] = []
  let refuse = 0
  const server = new SMTPServer({
    authOptional: !opts.user,
    // with starttls: STARTTLS offered with smtp-server's own self-signed certificate (which no client trusts)
    disabledCommands: [...(opts.starttls ? [] : ['STARTTLS']), ...(opts.user ? [] : ['AUTH'])],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === opts.user && auth.password === opts.password) cb(null, { user: auth.username })
      else cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }))
    },
    onMailFrom(_address, _session, cb) {
      if (refuse > 0) {
        refuse--
        cb(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }))
        return
      }
      cb()
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        received.push(parse(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((r) => r.address)))
        cb()
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port
  return {
    port,
    received,
    refuseNext(n) {
      refuse = n
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
