import { parseArgs } from 'node:util';
import { login, percentile } from './client';

// The review chain's write path under load: `connections` reviewers of one agency approve its
// pending items at once, each item once (GET the detail for its token and version, POST the
// approval). Every approval is one transaction: row lock, compare-and-set, hash-chained history
// row, 信息追踪 rows, and — at the national level — the stored query row and a message.
// It CHANGES the database (the items move up or are stored): run it after the read benchmark.

/** Ids pending at the agency, oldest first, from its 待审核 pages (上级退回 cannot be approved). */
async function pendingIds(base: string, cookie: string, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let page = 1; ids.length < count; page++) {
    const html = await (
      await fetch(`${base}/review?state=lower_submitted&page=${page}`, { headers: { cookie } })
    ).text();
    const found = [...html.matchAll(/href="\/review\/(\d+)[?"]/g)].map((m) => Number(m[1]));
    const fresh = [...new Set(found)].filter((id) => !ids.includes(id));
    if (!fresh.length) break;
    ids.push(...fresh);
  }
  return ids.slice(0, count);
}

export interface ApprovalRun {
  approvals: number;
  seconds: number;
  perSecond: number;
  detailP50: number;
  detailP99: number;
  postP50: number;
  postP99: number;
  failures: string[];
}

/** `connections` reviewers signed in as `cookie` approve up to `count` pending items, each once. */
export async function approveAll(
  base: string,
  cookie: string,
  connections: number,
  count: number,
): Promise<ApprovalRun> {
  const ids = await pendingIds(base, cookie, count);
  if (!ids.length) throw new Error('nothing pending');
  const detail: number[] = [];
  const approve: number[] = [];
  const failures: string[] = [];
  let next = 0;
  const started = performance.now();
  const reviewer = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      let t = performance.now();
      const page = await (await fetch(`${base}/review/${id}`, { headers: { cookie } })).text();
      detail.push(performance.now() - t);
      const token = page.match(/name="_csrf" value="([^"]+)"/)?.[1];
      const seq = page.match(/name="seq" value="(\d+)"/)?.[1];
      if (!token || !seq) {
        failures.push(`${id}: no approve form`);
        continue;
      }
      t = performance.now();
      const res = await fetch(`${base}/review/${id}/approve`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        // confirmed: what the browser's confirm before 入库 sets (without it the server asks first).
        body: new URLSearchParams({ _csrf: token, seq, comment: '基准测试：同意', confirmed: '1' }),
      });
      await res.arrayBuffer();
      approve.push(performance.now() - t);
      if (res.status !== 302) failures.push(`${id}: ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: connections }, reviewer));
  const seconds = (performance.now() - started) / 1000;
  detail.sort((a, b) => a - b);
  approve.sort((a, b) => a - b);
  return {
    approvals: approve.length,
    seconds,
    perSecond: approve.length / seconds,
    detailP50: percentile(detail, 50),
    detailP99: percentile(detail, 99),
    postP50: percentile(approve, 50),
    postP99: percentile(approve, 99),
    failures,
  };
}

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      url: { type: 'string', default: 'http://localhost:3000' },
      user: { type: 'string', default: 'aj000000' },
      connections: { type: 'string', default: '32' },
      count: { type: 'string', default: '400' },
      password: { type: 'string', default: 'Bench2026pass' },
      captcha: { type: 'string', default: 'bench' },
    },
  });
  const base = values.url!;
  const cookie = await login(base, values.user!, values.password!, values.captcha!);
  const r = await approveAll(base, cookie, Number(values.connections), Number(values.count));
  console.table([
    { step: '审核详情 (GET)', n: r.approvals, 'p50 ms': r.detailP50, 'p99 ms': r.detailP99 },
    { step: '审核通过 (POST)', n: r.approvals, 'p50 ms': r.postP50, 'p99 ms': r.postP99 },
  ]);
  console.log(
    `${r.approvals} approvals by ${values.connections} reviewers of ${values.user} in ${r.seconds.toFixed(1)} s ` +
      `(${r.perSecond.toFixed(0)}/s); refused or failed: ${r.failures.length}`,
  );
  if (r.failures.length) {
    console.log(r.failures.slice(0, 10).join('\n'));
    process.exitCode = 1;
  }
}

if (require.main === module)
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
