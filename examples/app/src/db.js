// The database: PGlite (Postgres in WebAssembly), stored in DATA_DIR (examples/app/.data/db by default).
import { PGlite } from '@electric-sql/pglite'

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS users (id serial PRIMARY KEY, name text NOT NULL);
  CREATE TABLE IF NOT EXISTS posts (id text PRIMARY KEY, title text NOT NULL);
  INSERT INTO users (name) SELECT 'Ada Lovelace' WHERE NOT EXISTS (SELECT 1 FROM users);
  INSERT INTO users (name) SELECT 'Grace Hopper' WHERE (SELECT count(*) FROM users) < 2;
`

let db

function open() {
  return (db ??= (async () => {
    const pg = new PGlite(process.env.DATA_DIR)
    await pg.exec(SCHEMA)
    return pg
  })())
}

/** Rows of a parameterized query. */
export async function query(sql, params = []) {
  return (await (await open()).query(sql, params)).rows
}

export async function closeDb() {
  if (db) await (await db).close()
  db = undefined
}
