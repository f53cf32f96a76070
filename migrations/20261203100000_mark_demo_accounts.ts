import type { Knex } from 'knex';

// Demo accounts (seeded by src/cli/demoData.ts, password published in the source) are marked, so
// that a production server refuses their logins and `accounts:issue` does not count them as an
// agency's account. Databases seeded before this column existed get their demo accounts marked
// by name: every demo username starts with `demo_`, and no issued or registered one can (issued
// names start with `aj`; a self-registered enterprise could pick `demo_…`, so only accounts of
// the demo's own agencies and enterprises are marked — the demo enterprises' credit codes are
// fixed).
const DEMO_CREDIT_CODE_PREFIXES = [
  '91330106MA27XK001',
  '91330105MA28YQ002',
  '91330100MA2H3T003',
  '91330000MA2J8P004',
  '91120116MA05LD005',
  '11330106MB1C0N006',
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.boolean('is_demo').notNullable().defaultTo(false);
  });
  await knex('users')
    .where('username', 'like', 'demo\\_%')
    .andWhere((q) =>
      q.whereNotNull('agency_id').orWhereIn(
        'enterprise_id',
        knex('enterprises')
          .select('id')
          .where((e) => {
            for (const code of DEMO_CREDIT_CODE_PREFIXES) e.orWhere('credit_code', 'like', `${code}%`);
          }),
      ),
    )
    .update({ is_demo: true });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('is_demo');
  });
}
