// Every URL of the URL map (SPEC §8), as functions. Routes, redirects and views use only these.
const id = (x: number | string): string => encodeURIComponent(String(x));

export const paths = {
  home: () => '/',
  healthz: () => '/healthz',
  login: () => '/login',
  /** The second step of a login with a second factor (双因素): the code or a recovery code. */
  loginSecondFactor: () => '/login/second-factor',
  logout: () => '/logout',
  captcha: () => '/captcha',
  register: () => '/register',
  registerRegions: () => '/register/regions',
  registerAgencies: () => '/register/agencies',
  account: {
    show: () => '/account',
    password: () => '/account/password',
    /** 绑定双因素认证: the QR code and secret, confirmed by a code. */
    secondFactor: () => '/account/second-factor',
  },
  review: {
    list: () => '/review',
    show: (systemId: number | string) => `/review/${id(systemId)}`,
    approve: (systemId: number | string) => `/review/${id(systemId)}/approve`,
    return: (systemId: number | string) => `/review/${id(systemId)}/return`,
    bulkApprove: () => '/review/bulk-approve',
    /** The history as an HTML fragment (the pending list's inline panel). */
    history: (systemId: number | string) => `/review/${id(systemId)}/history`,
  },
  stored: {
    list: () => '/stored',
    show: (systemId: number | string) => `/stored/${id(systemId)}`,
    xlsx: () => '/stored.xlsx',
  },
  tracking: {
    list: () => '/tracking',
    show: (systemId: number | string) => `/tracking/${id(systemId)}`,
  },
  campaign: {
    show: () => '/campaign',
    /** 总局 opens a new update round (年度复查). */
    newRound: () => '/campaign/rounds',
  },
  urges: {
    /** The 催办 page: one system, or the overdue items below the viewer in a region (and level). */
    new: (q: { system?: number; region?: string; direct?: boolean; level?: string; back?: string }) =>
      withQuery('/urges/new', {
        system: q.system,
        region: q.region,
        direct: q.direct ? '1' : undefined,
        level: q.level,
        back: q.back,
      }),
    create: () => '/urges',
  },
  notices: {
    list: () => '/notices',
    readAll: () => '/notices/read-all',
  },
  stats: {
    show: () => '/stats',
    xlsx: () => '/stats.xlsx',
  },
  enterprise: {
    home: () => '/enterprise',
    profile: () => '/enterprise/profile',
    newSystem: (category?: string) =>
      category
        ? `/enterprise/systems/new?category=${encodeURIComponent(category)}`
        : '/enterprise/systems/new',
    systems: () => '/enterprise/systems',
    system: (systemId: number | string) => `/enterprise/systems/${id(systemId)}`,
    submit: (systemId: number | string) => `/enterprise/systems/${id(systemId)}/submit`,
    change: (systemId: number | string) => `/enterprise/systems/${id(systemId)}/change`,
    /** 放弃变更: back to the stored version. */
    discard: (systemId: number | string) => `/enterprise/systems/${id(systemId)}/discard-change`,
    /** 删除草稿: a draft never submitted. */
    deleteDraft: (systemId: number | string) => `/enterprise/systems/${id(systemId)}/delete`,
    /** 年度复查: 确认无变化. */
    confirm: (systemId: number | string) => `/enterprise/systems/${id(systemId)}/confirm`,
  },
  admin: {
    users: () => '/admin/users',
    resetPassword: (userId: number | string) => `/admin/users/${id(userId)}/reset-password`,
    /** 重置双因素: the account enrols again at its next login. */
    resetSecondFactor: (userId: number | string) => `/admin/users/${id(userId)}/reset-second-factor`,
    /** Issuing regulator accounts for a region/level (the CSV of `accounts:issue`). */
    issue: () => '/admin/users/issue',
    security: () => '/admin/security',
    /** 安全管理员's account list: who is locked out, and unlocking. */
    securityAccounts: () => '/admin/security/accounts',
    unlock: (userId: number | string) => `/admin/security/accounts/${id(userId)}/unlock`,
  },
  audit: {
    list: () => '/audit',
    show: (rowId: number | string) => `/audit/${id(rowId)}`,
    xlsx: () => '/audit.xlsx',
  },
  static: (file: string) => `/public/${file}`,
};

/** Appends a query string built from the non-empty entries. */
export function withQuery(base: string, query: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${base}?${qs}` : base;
}

/**
 * A detail opened from a filtered list carries the list's query as `from` (the app sends no
 * Referer), so that its 返回 goes back to the same rows: the detail's URL for a row of `list`.
 */
export function openedFrom(detail: string, list: string): string {
  const q = list.indexOf('?');
  return q < 0 ? detail : withQuery(detail, { from: list.slice(q + 1) });
}

/** The list a detail goes back to: `listPath` with the `from` query it carried (nothing else). */
export function backToList(listPath: string, from: unknown): string {
  if (typeof from !== 'string' || from.length > 2000) return listPath;
  const qs = new URLSearchParams(from).toString();
  return qs ? `${listPath}?${qs}` : listPath;
}

export type Paths = typeof paths;
