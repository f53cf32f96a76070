import type { Locator, Page } from 'playwright-core';

// Page objects of the browser tests: each page is read by what a user reads on it — a table's
// column by its header, a row by the system or region it names — never by a cell's position.

/** A data table whose cells are found by their column's header (rowspan/colspan understood). */
export class DataTable {
  constructor(readonly root: Locator) {}

  /** The headers of the columns as the cells line up under them, left to right. */
  async columns(): Promise<string[]> {
    return this.root.evaluate((table) => {
      const [top, sub] = [...table.querySelectorAll('thead tr')];
      const under = [...(sub?.children ?? [])];
      // A sortable header holds its label in a link, its unit in a span after it.
      const text = (th: (typeof under)[number]) =>
        (th.querySelector('a')?.firstChild?.textContent ?? th.textContent ?? '').trim();
      return [...(top?.children ?? [])].flatMap((th) => {
        const span = Number(th.getAttribute('colspan') ?? 1);
        return th.getAttribute('scope') === 'colgroup' ? under.splice(0, span).map(text) : [text(th)];
      });
    });
  }

  rows(): Locator {
    return this.root.locator('tbody tr');
  }

  /** The body row that names `text` (a system's name, a region's). */
  row(text: string): Locator {
    return this.rows().filter({ hasText: text });
  }

  /** The row (body or total) whose row header is exactly `label` (a region of 统计分析, 合计). */
  rowHeaded(label: string): Locator {
    return this.root
      .locator('tr')
      .filter({ has: this.root.page().getByRole('rowheader', { name: label, exact: true }) });
  }

  /** The row's cell under the column `header`. */
  async cell(row: Locator, header: string): Promise<Locator> {
    const headers = await this.columns();
    const at = headers.indexOf(header);
    if (at < 0) throw new Error(`no column “${header}” among: ${headers.join(', ')}`);
    return row.locator(':scope > th, :scope > td').nth(at);
  }
}

/** 待审核: the pending list of an agency. */
export class ReviewListPage {
  readonly table: DataTable;
  constructor(readonly page: Page) {
    this.table = new DataTable(page.locator('table.review-table'));
  }

  /** The row of the system, by its name. */
  rowOf(name: string): Locator {
    return this.table.row(name);
  }

  /** The system's link in the list (one per listed system). */
  linksTo(name: string): Locator {
    return this.table.rows().getByRole('link', { name, exact: true });
  }
}

/** 信息追踪: the systems the agency acted on, with their status and where they are now. */
export class TrackingListPage {
  readonly table: DataTable;
  constructor(readonly page: Page) {
    this.table = new DataTable(page.locator('table.tracking-table'));
  }

  chips(): Promise<string[]> {
    return this.page.locator('nav.st-chips a').allTextContents();
  }

  /** Each listed system's name → [its 追踪状态 tag, 当前位置]. */
  async statusAndPosition(): Promise<Record<string, [string, string]>> {
    const seen: Record<string, [string, string]> = {};
    for (const row of await this.table.rows().all()) {
      const cell = (header: string) => this.table.cell(row, header);
      const name = ((await (await cell('独立生产系统名称')).textContent()) ?? '').trim();
      seen[name] = [
        (await (await cell('追踪状态')).locator('.tag').first().textContent()) ?? '',
        (await (await cell('当前位置')).textContent()) ?? '',
      ];
    }
    return seen;
  }
}

/** 统计分析: the census table of the regions (地区/单位 × 已填报, 审核中 by level, 已入库 …). */
export class StatsPage {
  readonly census: DataTable;
  constructor(readonly page: Page) {
    this.census = new DataTable(page.getByRole('table', { name: /各地区普查进度$/ }));
  }

  /** The region's row of the census table. */
  regionRow(label: string): Locator {
    return this.census.rowHeaded(label);
  }

  /** The link of the region's figure under `header` (已入库, 省级 …). */
  async figureLink(label: string, header: string): Promise<Locator> {
    return (await this.census.cell(this.regionRow(label), header)).getByRole('link');
  }
}

/** 已入库信息查询: the stored systems the agency may see. */
export class StoredListPage {
  readonly table: DataTable;
  constructor(readonly page: Page) {
    this.table = new DataTable(page.locator('table.stored-table'));
  }

  /** The listed systems' names, sorted. */
  async names(): Promise<string[]> {
    return (await this.table.rows().locator('td.st-name > a').allTextContents()).sort();
  }

  rowOf(name: string): Locator {
    return this.table.row(name);
  }
}

/** The enterprise home: its systems, each with its state, version and next step. */
export class EnterpriseHomePage {
  readonly systems: DataTable;
  constructor(readonly page: Page) {
    this.systems = new DataTable(page.locator('table.systems-table'));
  }

  /** The state tag of the system, by its name. */
  stateOf(name: string): Promise<string | null> {
    return this.systems.row(name).locator('.tag').textContent();
  }

  /** The system's row as header → text, for the headers asked. */
  async cellsOf(name: string, headers: string[]): Promise<string[]> {
    const row = this.systems.row(name);
    const texts: string[] = [];
    for (const h of headers)
      texts.push(((await (await this.systems.cell(row, h)).textContent()) ?? '').trim());
    return texts;
  }
}
