/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  out(text: string): void
  err(text: string): void
  env: Record<string, string | undefined>
  /** True when a person is typing at stdin (then passwords are prompted without echo). */
  stdinIsTTY: boolean
  /** All of stdin (a piped password). */
  readStdin(): Promise<string>
  /** Asks on the terminal without echoing what is typed. */
  promptHidden(question: string): Promise<string>
}

export function processIo(): CliIo {
  return {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    env: process.env,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    async readStdin() {
      const chunks: Buffer[] = []
      for await (const c of process.stdin) chunks.push(Buffer.from(c as Buffer))
      return Buffer.concat(chunks).toString('utf8')
    },
    promptHidden(question) {
      return new Promise((resolve, reject) => {
        const stdin = process.stdin
        process.stderr.write(question)
        let value = ''
        const done = (err?: Error) => {
          stdin.setRawMode(false)
          stdin.pause()
          stdin.off('data', onData)
          process.stderr.write('\n')
          if (err) reject(err)
          else resolve(value)
        }
        const onData = (chunk: Buffer | string) => {
          for (const ch of chunk.toString()) {
            if (ch === '\r' || ch === '\n' || ch === '\u0004') return done()
            if (ch === '\u0003') return done(new Error('Cancelled.'))
            if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1)
            else value += ch
          }
        }
        stdin.setRawMode(true)
        stdin.resume()
        stdin.on('data', onData)
      })
    },
  }
}
