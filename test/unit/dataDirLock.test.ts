import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE, type LockOwner } from '../../src/db/dataDirLock';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadir-lock-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const lockFile = () => path.join(dir, LOCK_FILE);
const owner = (): LockOwner => JSON.parse(fs.readFileSync(lockFile(), 'utf8'));
/** The id of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('the DATA_DIR owner lock', () => {
  it('names this process and its address while held, and is gone once released', () => {
    const lock = acquireDataDirLock(dir, { command: 'server', address: 'http://localhost:3000' });
    expect(owner()).toMatchObject({ pid: process.pid, command: 'server', address: 'http://localhost:3000' });
    lock.release();
    expect(fs.existsSync(lockFile())).toBe(false);
  });

  it('refuses while a live process holds it, naming that process and what to do', () => {
    // The parent of this test runner is alive for as long as the test runs.
    const holder: LockOwner = {
      pid: process.ppid,
      command: 'server',
      address: 'http://localhost:3000',
      since: 'x',
    };
    fs.writeFileSync(lockFile(), JSON.stringify(holder));
    expect(() => acquireDataDirLock(dir, { command: 'accounts:issue' })).toThrow(DataDirLockedError);
    expect(() => acquireDataDirLock(dir, { command: 'accounts:issue' })).toThrow(
      new RegExp(
        `进程号 ${process.ppid}，地址 http://localhost:3000.*\\n.*请先停止该进程[\\s\\S]*DATABASE_URL`,
      ),
    );
    expect(owner().pid).toBe(process.ppid); // left as it was
  });

  it('takes over a lock whose process is gone', () => {
    fs.writeFileSync(
      lockFile(),
      JSON.stringify({ pid: deadPid(), command: 'server', address: null, since: 'x' }),
    );
    const lock = acquireDataDirLock(dir, { command: 'migrate' });
    expect(owner()).toMatchObject({ pid: process.pid, command: 'migrate' });
    lock.release();
  });

  it('takes over an unreadable lock (a crash while it was written)', () => {
    fs.writeFileSync(lockFile(), '{"pid":');
    acquireDataDirLock(dir, { command: 'seed' }).release();
    expect(fs.existsSync(lockFile())).toBe(false);
  });

  it('does not remove a lock another process took meanwhile', () => {
    const lock = acquireDataDirLock(dir, { command: 'seed' });
    const other: LockOwner = { pid: process.ppid, command: 'server', address: null, since: 'x' };
    fs.writeFileSync(lockFile(), JSON.stringify(other));
    lock.release();
    expect(owner().pid).toBe(process.ppid);
  });
});
