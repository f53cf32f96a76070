import { POLICY_LABELS, type SecurityPolicy } from '../../domain/securityPolicy';
import type { PolicyChange } from '../../services/securityPolicy';

const describe = (value: unknown): string =>
  typeof value === 'boolean' ? (value ? '是' : '否') : String(value ?? '—');

/** 安全策略: the form (values as in force or as typed) and who changed what when. */
export function securityPolicyView(
  values: Record<string, string>,
  errors: Record<string, string>,
  history: PolicyChange[],
) {
  return {
    title: '安全策略',
    labels: POLICY_LABELS,
    values,
    errors,
    // Each save against the one before it (the oldest against the defaults: shown whole).
    history: history.map((h, i) => {
      const before = history[i + 1]?.settings;
      const fields = (Object.keys(POLICY_LABELS) as (keyof SecurityPolicy)[]).filter(
        (f) => f in h.settings && (!before || before[f] !== h.settings[f]),
      );
      return {
        at: h.changedAt,
        by: h.changedByUsername ?? '—',
        changes: fields.map(
          (f) =>
            `${POLICY_LABELS[f]}：${before ? `${describe(before[f])} → ` : ''}${describe(h.settings[f])}`,
        ),
      };
    }),
  };
}
