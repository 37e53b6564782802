import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely } from 'kysely'
// The engine is the database layer's type (electron/db/engine.ts); migrations receive it.
import type { Engine } from '../electron/db/engine'

export type { Engine }

/** A migration gets the engine so that one file serves both SQLite and PostgreSQL. */
export interface Migration {
  up(db: Kysely<any>, engine: Engine): Promise<void>
  down?(db: Kysely<any>, engine: Engine): Promise<void>
}

/** Integer primary key that the database numbers: INTEGER PRIMARY KEY on SQLite, serial on PostgreSQL. */
export function withId<T extends string>(t: CreateTableBuilder<T, never>, engine: Engine): CreateTableBuilder<T, 'id'> {
  return engine === 'postgres'
    ? t.addColumn('id', 'serial', (c) => c.primaryKey())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
}

export const notNull = (c: ColumnDefinitionBuilder) => c.notNull()
