import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * The outlook context (src/contexts/outlook): scenario sets with their signposts, observations and
 * impact matrix; forecast questions and each user's latest forecast; ACH matrices and their evidence;
 * observations proposed to a set's author when a linked question resolves. The shared objects carry
 * the releasability columns (author, tlp, audience) that lists filter on in SQL; JSON columns hold
 * small bounded lists (scenarios, likelihoods, options, ratings).
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  const shared = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('tlp', 'text', (c) => c.notNull())
      .addColumn('audience', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull());

  await shared('outlook_sets')
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('horizon', 'text', (c) => c.notNull())
    .addColumn('scenarios', 'text', (c) => c.notNull())
    .addColumn('impacts', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outlook_sets_created').on('outlook_sets').columns(['created_at', 'id']).execute();
  await db.schema
    .createTable('outlook_signposts')
    .addColumn('set_id', 'text', (c) => c.notNull().references('outlook_sets.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('likelihoods', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('outlook_signposts_pk', ['set_id', 'key'])
    .execute();
  await db.schema
    .createTable('outlook_observations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('set_id', 'text', (c) => c.notNull().references('outlook_sets.id'))
    .addColumn('signpost', 'text', (c) => c.notNull())
    .addColumn('observed', 'integer', (c) => c.notNull())
    .addColumn('confidence', 'double precision', (c) => c.notNull())
    .addColumn('observed_at', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('outlook_observations_order')
    .on('outlook_observations')
    .columns(['set_id', 'observed_at', 'seq'])
    .execute();

  await shared('outlook_questions')
    .addColumn('resolution_criteria', 'text', (c) => c.notNull())
    .addColumn('closes_at', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('signpost_set', 'text')
    .addColumn('signpost_key', 'text')
    .addColumn('outcome', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .execute();
  await db.schema
    .createIndex('outlook_questions_created')
    .on('outlook_questions')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema
    .createTable('outlook_forecasts')
    .addColumn('question_id', 'text', (c) => c.notNull().references('outlook_questions.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('org', 'text', (c) => c.notNull())
    .addColumn('probabilities', 'text', (c) => c.notNull())
    .addColumn('rationale', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('revisions', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('outlook_forecasts_pk', ['question_id', 'user_id'])
    .execute();
  await db.schema.createIndex('outlook_forecasts_org').on('outlook_forecasts').columns(['org', 'user_id']).execute();

  await shared('outlook_ach')
    .addColumn('description', 'text')
    .addColumn('hypotheses', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outlook_ach_created').on('outlook_ach').columns(['created_at', 'id']).execute();
  await db.schema
    .createTable('outlook_ach_evidence')
    .addColumn('ach_id', 'text', (c) => c.notNull().references('outlook_ach.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('credibility', 'text', (c) => c.notNull())
    .addColumn('relevance', 'text', (c) => c.notNull())
    .addColumn('ratings', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('outlook_ach_evidence_pk', ['ach_id', 'key'])
    .execute();

  await db.schema
    .createTable('outlook_proposed_observations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('set_id', 'text', (c) => c.notNull().references('outlook_sets.id'))
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('signpost', 'text', (c) => c.notNull())
    .addColumn('observed', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('observation_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('outlook_proposed_set')
    .on('outlook_proposed_observations')
    .columns(['set_id', 'created_at'])
    .execute();
}
