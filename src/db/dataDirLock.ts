import fs from 'node:fs';
import path from 'node:path';

// One owner of DATA_DIR. PGlite keeps the embedded database in that folder and assumes it is
// the only process using it: a second instance does not see the first one's writes (the
// accounts a CLI issued beside a running server were lost) and can corrupt the files. So the
// process that opens the embedded database first writes DATA_DIR/owner.lock naming itself, and
// every other one — a second server, or any CLI command — refuses at once, saying who holds it.
// A lock whose process is gone (crash, kill -9) is taken over.

export const LOCK_FILE = 'owner.lock';

export interface LockOwner {
  pid: number;
  /** What holds it: `server` or the CLI command's name. */
  command: string;
  /** The server's web address (a CLI command has none). */
  address: string | null;
  since: string;
}

export class DataDirLockedError extends Error {}

export interface DataDirLock {
  release(): void;
}

/** Whether a process with this id exists (EPERM: it exists but belongs to another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readRaw(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
    return Number.isInteger(owner.pid) ? owner : null;
  } catch {
    return null; // gone meanwhile, or unreadable (a crash while writing it): not a live owner
  }
}

export function lockedMessage(dataDir: string, owner: LockOwner): string {
  const who = owner.command === 'server' ? '系统服务器' : `命令 ${owner.command}`;
  const where = owner.address ? `，地址 ${owner.address}` : '';
  return [
    `嵌入式数据库目录 ${dataDir} 正被另一进程使用：${who}（进程号 ${owner.pid}${where}，自 ${owner.since} 起）。`,
    '同一目录只能由一个进程打开，否则数据会丢失或损坏。请先停止该进程（服务器：Ctrl+C 或 systemctl stop）后再运行，',
    '或改用 PostgreSQL 服务器（设置 DATABASE_URL），那样服务器运行时命令也可执行。',
    `若确认该进程并非本系统（进程号已被重用），可删除 ${path.join(dataDir, LOCK_FILE)}。`,
  ].join('\n');
}

/**
 * Takes DATA_DIR for this process or throws DataDirLockedError naming the owner. The lock file
 * is created exclusively (O_EXCL), so of two processes starting together only one gets it.
 */
export function acquireDataDirLock(
  dataDir: string,
  holder: { command: string; address?: string | null },
): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const me: LockOwner = {
    pid: process.pid,
    command: holder.command,
    address: holder.address ?? null,
    since: new Date().toISOString(),
  };
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx', mode: 0o644 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0)
        throw lockError(err, dataDir, file);
      const stale = readRaw(file);
      const owner = readOwner(file);
      if (owner && owner.pid !== process.pid && processAlive(owner.pid))
        throw new DataDirLockedError(lockedMessage(dataDir, owner));
      // Stale: its process is gone. Removed only if it is still that same lock (another process
      // may have taken it over meanwhile); the second exclusive create then decides.
      if (readRaw(file) === stale) fs.rmSync(file, { force: true });
    }
  }
  const release = () => {
    if (readOwner(file)?.pid === process.pid) fs.rmSync(file, { force: true });
    process.off('exit', release);
  };
  // Also on an exit that skips close() (process.exit in a CLI's error path).
  process.on('exit', release);
  return { release };
}

/** A second EEXIST after removing a stale lock: another process took it over first. */
function lockError(err: unknown, dataDir: string, file: string): Error {
  const owner = (err as NodeJS.ErrnoException).code === 'EEXIST' ? readOwner(file) : null;
  return owner ? new DataDirLockedError(lockedMessage(dataDir, owner)) : (err as Error);
}
