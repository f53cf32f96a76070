import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

// A PostgreSQL cluster of a test's own, on a port of its own, so that the test may stop, stall
// or restart it without touching the main cluster the rest of the suite uses.

const VERSION = fs.existsSync('/etc/postgresql') ? (fs.readdirSync('/etc/postgresql')[0] ?? '15') : '15';

/** Whether this machine can make clusters (Debian's postgresql-common). */
export const canMakeClusters = spawnSync('which', ['pg_createcluster']).status === 0;

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class TestCluster {
  constructor(
    readonly name: string,
    readonly port: number,
  ) {}

  /** Creates and starts a fresh cluster (a leftover of an interrupted run is removed first). */
  static create(name: string, port: number): TestCluster {
    const cluster = new TestCluster(name, port);
    cluster.drop();
    run('pg_createcluster', [VERSION, name, '-p', String(port), '--', '--auth=trust']);
    cluster.start();
    return cluster;
  }

  /**
   * A streaming replica of `primary`, made the way a replica is deployed: a base backup with
   * `-R` (standby.signal and primary_conninfo), then started on its own port.
   */
  static replicaOf(primary: TestCluster, name: string, port: number): TestCluster {
    const replica = new TestCluster(name, port);
    replica.drop();
    run('pg_createcluster', [VERSION, name, '-p', String(port), '--', '--auth=trust']);
    // Emptied, not removed: the directory stays the postgres user's, with the mode it requires.
    const dataDir = `/var/lib/postgresql/${VERSION}/${name}`;
    for (const entry of fs.readdirSync(dataDir)) fs.rmSync(`${dataDir}/${entry}`, { recursive: true });
    const backup = [
      '-h',
      '127.0.0.1',
      '-p',
      String(primary.port),
      '-U',
      'postgres',
      '-D',
      dataDir,
      '-R',
      '-X',
      'stream',
      '--checkpoint=fast', // not the spread checkpoint's minutes
    ];
    try {
      if (process.getuid?.() === 0) run('runuser', ['-u', 'postgres', '--', 'pg_basebackup', ...backup]);
      else run('pg_basebackup', backup);
    } catch (err) {
      replica.drop();
      throw err;
    }
    replica.start();
    return replica;
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  start(): void {
    run('pg_ctlcluster', ['--skip-systemctl-redirect', VERSION, this.name, 'start']);
  }

  /** A fast stop: sessions are terminated, as in a restart or failover. */
  stop(): void {
    run('pg_ctlcluster', ['--skip-systemctl-redirect', VERSION, this.name, 'stop', '-m', 'fast']);
  }

  /** SQL as the superuser, through psql; returns its unaligned output, trimmed. */
  psql(sql: string, database = 'postgres'): string {
    return run('psql', [
      '-h',
      '127.0.0.1',
      '-p',
      String(this.port),
      '-U',
      'postgres',
      '-d',
      database,
      '-AtXqc',
      sql,
    ]).trim();
  }

  /** The postmaster and every backend: a frozen server that still holds its sockets open. */
  private pids(): number[] {
    const pidFile = `/var/lib/postgresql/${VERSION}/${this.name}/postmaster.pid`;
    const postmaster = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    const children = spawnSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean)
      .map(Number);
    return [postmaster, ...children];
  }

  /** SIGSTOP: the server answers nothing, but no connection is refused or reset. */
  freeze(): void {
    for (const pid of this.pids()) process.kill(pid, 'SIGSTOP');
  }

  thaw(): void {
    for (const pid of this.pids()) process.kill(pid, 'SIGCONT');
  }

  drop(): void {
    spawnSync('pg_dropcluster', ['--stop', VERSION, this.name], { stdio: 'ignore' });
  }
}
