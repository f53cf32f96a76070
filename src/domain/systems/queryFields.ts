/**
 * What the queries take from the category definitions (each category's `query`): the columns of
 * the stored query, its enumerated filters, the key figure of a list row and the categories
 * each statistic is about. Adding a filterable field is declaring it here-by-definition; the
 * database side (stored_systems, the stats_* columns) is held to these lists by
 * test/integration/storedExtraction.test.ts, which fails until a migration adds the column.
 */
import type { Category, CategoryDef, FieldDef, FieldType, Option } from './types';

export interface QueryField {
  code: string;
  label: string;
  type: FieldType;
  options: readonly Option[];
  /** The categories that declare it; null when every category does. */
  categories: readonly Category[] | null;
}

function collect(
  defs: readonly CategoryDef[],
  fieldsOf: (def: CategoryDef) => readonly FieldDef[],
  pick: (def: CategoryDef) => readonly string[],
): QueryField[] {
  const found = new Map<string, { field: FieldDef; categories: Category[] }>();
  for (const def of defs)
    for (const code of pick(def)) {
      const field = fieldsOf(def).find((f) => f.code === code);
      if (!field) throw new Error(`${def.code}.query names an unknown field: ${code}`);
      const entry = found.get(code) ?? { field, categories: [] };
      entry.categories.push(def.code);
      found.set(code, entry);
    }
  return [...found.values()].map(({ field, categories }) => ({
    code: field.code,
    label: field.label,
    type: field.type,
    options: field.options ?? [],
    categories: categories.length === defs.length ? null : categories,
  }));
}

/** The fields of every category's `query` of one kind, each once, in declaration order. */
export function queryFields(
  defs: readonly CategoryDef[],
  fieldsOf: (def: CategoryDef) => readonly FieldDef[],
  kind: 'filters' | 'statistics',
): QueryField[] {
  return collect(defs, fieldsOf, (def) => def.query[kind]);
}

/** Whether a field of the list applies with the chosen category (any, when none is chosen). */
export function appliesTo(field: Pick<QueryField, 'categories'>, category: Category | undefined): boolean {
  return !category || field.categories === null || field.categories.includes(category);
}
