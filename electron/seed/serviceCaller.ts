/**
 * The synthetic clinic's records made the way the app makes them: a channel of the contract, called as a
 * staff member of that channel's roles, its input checked by the router's own guard and zod schema, run by
 * the channel's handler (electron/handlers.ts, the same services the app calls), its output checked against
 * the contract. What differs from the router (electron/rpc.ts) is only where things go, for speed: the calls
 * run inside the seed's open transaction (not one transaction each), at the seed's clock (the day the
 * synthetic event happens), and their audit rows go to the seed's spool, which writes the whole clinic's audit
 * log in time order with its hash chain at the end.
 */
import { contract, type Channel, type ChannelDef, type ChannelInput, type ChannelOutput } from '../../shared/contract'
import { AppError } from '../../shared/result'
import type { SessionUser } from '../../shared/schemas/session'
import type { AppDatabase } from '../db/connect'
import type { Tx } from '../db/tx'
import { handlers } from '../handlers'
import { checkInputStrings } from '../inputGuards'
import { fieldErrors } from '../rpc'
import type { AuditInput } from '../services/audit'
import type { ServiceContext } from '../services/context'
import { SessionStore } from '../sessions'

export interface SeedAuditSink {
  log(when: string, actor: { id: number; username: string }, action: string, entity: string | null, entityId: number | string | null, patientId: number | null, details?: Record<string, unknown>): void
}

export class ServiceCaller {
  /** The synthetic clinic's "now" for the next call. */
  now = new Date(0)
  /** calls made, by channel (the seed reports them) */
  readonly calls: Record<string, number> = {}
  private readonly sessions = new SessionStore()

  constructor(
    private readonly database: AppDatabase,
    private readonly db: Tx,
    private readonly audit: SeedAuditSink,
  ) {}

  /** Calls `channel` as `actor` at `this.now`; a refusal is a fault in the seed, thrown with the service's words. */
  async call<C extends Channel>(actor: SessionUser, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
    const def: ChannelDef = contract[channel]
    if (def.access === 'public' || def.access === 'session' || !def.access.includes(actor.role)) {
      throw new Error(`seed: ${actor.username} (${actor.role}) may not call ${channel}`)
    }
    const guard = checkInputStrings(input)
    if (!guard.ok) throw new Error(`seed: ${channel}: ${guard.field} ${guard.message}`)
    const parsed = def.input.safeParse(input)
    if (!parsed.success) throw new Error(`seed: ${channel}: ${JSON.stringify(fieldErrors(parsed.error))}`)
    // no window session: services act as ctx.actor; the store is there for those that end others' sessions
    const windowId = `seed-${actor.username}`
    const ctx: ServiceContext = {
      db: this.db,
      database: this.database,
      sessions: this.sessions,
      windowId,
      workstation: 'seed',
      actor,
      now: () => this.now,
      audit: async (e: AuditInput) => this.audit.log(this.now.toISOString(), actor, e.action, e.entity ?? null, e.entityId ?? null, e.patientId ?? null, e.details ?? {}),
    }
    const handler = handlers[channel] as (ctx: ServiceContext, input: unknown) => Promise<unknown>
    let value: unknown
    try {
      value = await handler(ctx, parsed.data)
    } catch (err) {
      if (err instanceof AppError) throw new Error(`seed: ${channel} as ${actor.username} at ${this.now.toISOString()}: ${err.code} ${err.message} ${JSON.stringify(err.fields ?? {})}`, { cause: err })
      throw err
    }
    const out = def.output.safeParse(value)
    if (!out.success) throw new Error(`seed: the output of ${channel} does not match the contract: ${out.error.message}`)
    this.calls[channel] = (this.calls[channel] ?? 0) + 1
    return out.data as ChannelOutput<C>
  }
}
