// Password lifecycle (安全策略): a maximum age after which a change is forced, and no reuse of
// the last few passwords. The clock is always passed in (tests set it; nothing waits).

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether a password set at `changedAt` has outlived `maxAgeDays` (0: no maximum age). */
export function passwordExpired(changedAt: Date | null, maxAgeDays: number, now: Date): boolean {
  if (maxAgeDays <= 0 || changedAt === null) return false;
  return now.getTime() - changedAt.getTime() >= maxAgeDays * DAY_MS;
}

/** How many earlier hashes to compare a new password with, besides the current one. */
export function reuseWindow(historyCount: number): number {
  return Math.max(0, historyCount - 1);
}

export function reuseMessage(historyCount: number): string {
  return historyCount > 1 ? `新密码不能与最近 ${historyCount} 次使用过的密码相同` : '新密码不能与原密码相同';
}

/** What a user is told after signing in: the login before this one and the failures since. */
export function previousLoginText(
  at: Date | null,
  address: string | null,
  failures: number,
  formatTime: (d: Date) => string,
): string {
  const since =
    failures > 0 ? `此后密码输错 ${failures} 次，如非本人操作请立即修改密码。` : '此后没有输错密码的记录。';
  return at
    ? `上次登录：${formatTime(at)}，地址 ${address ?? '未知'}；${since}`
    : `这是该账号的首次登录。${failures > 0 ? since : ''}`;
}
