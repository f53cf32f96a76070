// Helpers of the 已入库信息查询 and 信息追踪 tests: dates in China and what a list page shows.

/** Today ± days in China, as YYYY-MM-DD (the licence filters count days in China). */
export function chinaDay(offsetDays = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );
}

/** The system names linked in a list's name column, in page order. */
export function namesIn(html: string): string[] {
  return [...html.matchAll(/<td class="st-name"><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]);
}

/** The table row (<tr>…</tr>) that names the system, or '' when there is none. */
export function rowOf(html: string, name: string): string {
  return html.split('<tr').find((chunk) => chunk.includes(`>${name}<`)) ?? '';
}
