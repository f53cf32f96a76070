/**
 * Pure helpers over the agency tree (SPEC §3). The tree's shape is irregular on purpose —
 * municipalities have no city level, province-administered counties hang under the province,
 * offshore units sit under the national root — so nothing here assumes a number of levels:
 * a chain is simply the path from an agency up to the root.
 *
 * The helpers take the agencies as a list, a Map by id, or a lookup function. A list is indexed
 * on every call; callers doing many look-ups should index it once with `indexAgencies`.
 */

export const AGENCY_LEVELS = ['national', 'province', 'city', 'county', 'offshore'] as const;
export type AgencyLevel = (typeof AGENCY_LEVELS)[number];

export const AGENCY_LEVEL_LABELS: Readonly<Record<AgencyLevel, string>> = Object.freeze({
  national: '总局',
  province: '省级',
  city: '市级',
  county: '县级',
  offshore: '海油安办',
});

export function agencyLevelLabel(level: AgencyLevel): string {
  return AGENCY_LEVEL_LABELS[level];
}

export interface AgencyNode {
  readonly id: number;
  readonly parentId: number | null;
  readonly level: AgencyLevel;
  readonly name: string;
}

/** All the tree helpers need of an agency. */
export type TreeNode = Pick<AgencyNode, 'id' | 'parentId'>;

export type AgencySource<N extends TreeNode = TreeNode> =
  readonly N[] | ReadonlyMap<number, N> | ((id: number) => N | undefined);

/** Index agencies by id; a duplicate id is a data error. */
export function indexAgencies<N extends TreeNode>(agencies: Iterable<N>): Map<number, N> {
  const byId = new Map<number, N>();
  for (const agency of agencies) {
    if (byId.has(agency.id)) throw new Error(`orgTree: duplicate agency id ${agency.id}`);
    byId.set(agency.id, agency);
  }
  return byId;
}

function lookupOf<N extends TreeNode>(source: AgencySource<N>): (id: number) => N | undefined {
  if (typeof source === 'function') return source;
  const byId =
    source instanceof Map ? (source as ReadonlyMap<number, N>) : indexAgencies(source as readonly N[]);
  return (id) => byId.get(id);
}

/** The agency codes of a materialised path ('/000000/330000/330100/'), root first. */
export function pathCodes(path: string): string[] {
  return path.split('/').filter(Boolean);
}

/**
 * The ids from `agencyId` up to the root: [agency, parent, …, root]. For a supervising agency
 * this is exactly a filing's review chain. Throws on an unknown id or a cycle (data errors).
 */
export function chainOf(agencies: AgencySource, agencyId: number): number[] {
  const lookup = lookupOf(agencies);
  const chain: number[] = [];
  const seen = new Set<number>();
  let id: number | null = agencyId;
  while (id !== null) {
    if (seen.has(id)) throw new Error(`orgTree: cycle through agency ${id}`);
    const agency = lookup(id);
    if (!agency) throw new Error(`orgTree: unknown agency ${id}`);
    seen.add(id);
    chain.push(id);
    id = agency.parentId;
  }
  return chain;
}

/** Is `ancestorId` strictly above `descendantId`? (An agency is not its own ancestor.) */
export function isAncestor(agencies: AgencySource, ancestorId: number, descendantId: number): boolean {
  return ancestorId !== descendantId && chainOf(agencies, descendantId).includes(ancestorId);
}

/** Is `agencyId` in the subtree rooted at `rootId`, the root included? (Jurisdiction.) */
export function inSubtree(agencies: AgencySource, rootId: number, agencyId: number): boolean {
  return chainOf(agencies, agencyId).includes(rootId);
}

/**
 * The child of `ancestorId` on the way down to `descendantId`, or null when `descendantId` is
 * not strictly below it. Used to group a subtree's figures by child (statistics drill-down).
 */
export function childToward(agencies: AgencySource, ancestorId: number, descendantId: number): number | null {
  const chain = chainOf(agencies, descendantId);
  const at = chain.indexOf(ancestorId);
  return at > 0 ? chain[at - 1] : null;
}
