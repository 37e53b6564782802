export declare const MIN_POSTGRES_MAJOR: number

export declare function findPostgres(): { bin: string; version: number; reason?: undefined } | { bin: null; version?: undefined; reason: string }

export interface ThrowawayPostgres {
  /** Superuser `postgres`, trust authentication, database `postgres`, on 127.0.0.1. */
  url: string
  dir: string
  dataDir: string
  bin: string
  port: number
  /** `pg_ctl restart -m fast`: every connection is ended; resolves once the server accepts connections again. */
  restart(): Promise<void>
  stop(): void
}

export declare function startThrowawayPostgres(): Promise<ThrowawayPostgres | null>
