import type { Knex } from 'knex';
import { consistencyRepo, type InconsistencyKind } from '../data/consistency';
import { runCheck } from './runCli';

// `npm run verify`: the derived state agrees with the history it derives from (beside
// `verify:history`, which checks the history's own hash chains).

const PROBLEMS: Record<InconsistencyKind, string> = {
  position: '状态、所在机构、到达方式或流转序号与其操作历史的最后一条不一致',
  continuity: '操作历史中本条的起始位置与上一条的结束位置不一致',
  submit: '该版本没有对应的企业提交记录',
  stored: '已入库，但已入库查询表中没有该版本的记录',
  stale_stored: '未入库，却在已入库查询表中有记录',
};

/** Prints the report; true when everything agrees. */
export async function reportConsistency(knex: Knex): Promise<boolean> {
  const repo = consistencyRepo(knex);
  const started = Date.now();
  const [systems, found] = [await repo.systemCount(), await repo.inconsistencies()];
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`已核对 ${systems} 个生产系统的状态、版本与已入库记录（用时 ${seconds} 秒）。`);
  for (const f of found) {
    const where =
      f.at === null
        ? ''
        : f.kind === 'position' || f.kind === 'continuity'
          ? `第 ${f.at} 条历史`
          : `第 ${f.at} 版`;
    console.log(`  不一致：系统 ${f.systemId}${where ? ` ${where}` : ''}：${PROBLEMS[f.kind]}`);
  }
  if (found.length) console.log(`发现 ${found.length} 处不一致（每类最多列出 100 处）。`);
  else console.log('全部一致。');
  return found.length === 0;
}

if (require.main === module) runCheck('verify', reportConsistency);
