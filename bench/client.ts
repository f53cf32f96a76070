// What both benchmarks need: a signed-in session (cookie header) and latency percentiles.

/** Logs in through the login form, as a browser does; returns the session's cookie header. */
export async function login(
  base: string,
  username: string,
  password: string,
  captcha: string,
): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair.split('=');
      jar.set(k, v);
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const page = await fetch(`${base}/login`);
  keep(page);
  const token = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1];
  const image = await fetch(`${base}/captcha`, { headers: { cookie: cookie() } });
  keep(image);
  await image.text();
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, username, password, captcha }),
  });
  keep(res);
  if (res.status !== 302 || res.headers.get('location') !== '/')
    throw new Error(`login of ${username} failed (${res.status})`);
  return cookie();
}

/** Latency percentile of sorted samples. */
export const percentile = (sorted: number[], p: number): number =>
  sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]) : 0;
