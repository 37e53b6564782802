/**
 * For the PostgreSQL query-plan tests: the statements the app sends the server while something runs (as pg sends
 * them, the app's named statements included), and the server's plan for one of them, node by node.
 */
import pg from 'pg'

export interface SentStatement {
  text: string
  values: unknown[]
}

/** A node of EXPLAIN (FORMAT JSON)'s plan, with the fields the tests read. */
export interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  Filter?: string
  Plans?: PlanNode[]
}

/** Runs `fn`, recording into `sent` every statement whose text matches `which`; pg is left as it was. */
export async function recordingStatements(which: RegExp, sent: SentStatement[], fn: () => Promise<void>): Promise<void> {
  const query = pg.Client.prototype.query
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    // a string, or the app's named statements' { name, text, values } (electron/db/preparedStatements.ts)
    const [config, args1] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined]
    const [text, values] = typeof config === 'string' ? [config, args1] : [config?.text, config?.values]
    if (typeof text === 'string' && which.test(text)) sent.push({ text, values: values ?? [] })
    return (query as (...a: unknown[]) => unknown).apply(this, args)
  } as typeof query
  try {
    await fn()
  } finally {
    pg.Client.prototype.query = query
  }
}

/** Every node of the plan the server would run for the statement with its own values, depth first. */
export async function planNodesOf(server: pg.Client, s: SentStatement): Promise<PlanNode[]> {
  const plan = (await server.query(`EXPLAIN (FORMAT JSON) ${s.text}`, s.values)).rows[0]['QUERY PLAN'] as { Plan: PlanNode }[]
  const nodes: PlanNode[] = []
  const walk = (n: PlanNode) => {
    nodes.push(n)
    n.Plans?.forEach(walk)
  }
  walk(plan[0]!.Plan)
  return nodes
}
