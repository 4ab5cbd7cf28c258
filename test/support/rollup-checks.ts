import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Kysely, RawBuilder } from 'kysely';
import pg from 'pg';
import { createServices } from '../../src/services.js';
import type { Database } from '../../src/storage/schema.js';
import type { CourseWorld } from '../../src/dev/synthetic/course-world.js';
import {
  copyStatements,
  insertCourseWorld,
  storeStatements,
  worldStatements,
  type InsertedWorld,
} from '../fixtures/course-world.js';

/**
 * Checks every KPI rollup test makes: a rollup equals its recomputation from the facts, a rejected
 * batch leaves it as it was, and the bulk (COPY) path rebuilds it.
 */

/** A query's rows as sorted JSON strings. */
export async function rowKeys(query: RawBuilder<unknown>, db: Kysely<Database>): Promise<string[]> {
  return (await query.execute(db)).rows.map((r) => JSON.stringify(r)).sort();
}

/** Asserts the rollup rows (`kept`) equal their recomputation from the facts; returns how many there are. */
export async function assertSameRows(
  kept: RawBuilder<unknown>,
  recomputed: RawBuilder<unknown>,
  db: Kysely<Database>,
): Promise<number> {
  const rows = await rowKeys(kept, db);
  assert.deepEqual(rows, await rowKeys(recomputed, db));
  return rows.length;
}

/**
 * Stores `fresh` in a batch with a statement that reuses a stored statement's id with other content: the
 * LRS rejects the whole batch (xAPI 2.1.3), and `kept` must read as before.
 */
export async function assertRejectedBatchLeavesNothing(
  db: Kysely<Database>,
  w: InsertedWorld,
  fresh: { id: string },
  kept: RawBuilder<unknown>,
): Promise<void> {
  const before = await rowKeys(kept, db);
  const clash = { ...w.statements[1]!, timestamp: '2001-01-01T00:00:00Z' };
  await assert.rejects(
    storeStatements(createServices({ db }), w.tenantName, [{ ...fresh, id: randomUUID() }, clash]),
  );
  assert.deepEqual(await rowKeys(kept, db), before);
}

/** A small new world whose statements are bulk-loaded by COPY (KPI triggers off, then every rollup rebuilt). */
export async function copySmallWorld(
  database: { db: Kysely<Database>; url: string },
  seeds: { world: number; statements: number },
): Promise<CourseWorld> {
  const { world } = await insertCourseWorld(database.db, { seed: seeds.world, learners: 6, modules: 1 });
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  try {
    await copyStatements(pool, world.tenantId, worldStatements(world, { seed: seeds.statements }));
  } finally {
    await pool.end();
  }
  return world;
}
