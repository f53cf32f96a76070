/** Tailings pond grade (尾矿库等别) from design capacity and dam height, per AQ 2006 / GB 50863. */

export type ComputedGrade = 2 | 3 | 4 | 5;

function gradeByCapacity(v: number): ComputedGrade {
  if (v >= 10000) return 2;
  if (v >= 1000) return 3;
  if (v >= 100) return 4;
  return 5;
}

function gradeByHeight(h: number): ComputedGrade {
  if (h >= 100) return 2;
  if (h >= 60) return 3;
  if (h >= 30) return 4;
  return 5;
}

/**
 * Grade 2–5 from the design total capacity (万m³) and design total dam height (m). When the two
 * criteria differ by one grade the higher grade (smaller number) wins; by more, the higher grade
 * minus one. Grade 1 is never computed: it takes an expert decision.
 */
export function computeTailingsGrade(designCapacity: number, damHeight: number): ComputedGrade {
  if (
    !Number.isFinite(designCapacity) ||
    !Number.isFinite(damHeight) ||
    designCapacity < 0 ||
    damHeight < 0
  ) {
    throw new RangeError('design capacity and dam height must be finite, non-negative numbers');
  }
  const a = gradeByCapacity(designCapacity);
  const b = gradeByHeight(damHeight);
  const higher = Math.min(a, b) as ComputedGrade;
  return Math.abs(a - b) <= 1 ? higher : ((higher + 1) as ComputedGrade);
}
