import { loadConfig } from './config';
import { openDatabase } from './db/database';
import { createServices } from './services';
import { createApp } from './app';
import { logger } from './logger';
import { seedOnStart } from './cli/seedOnStart';

async function main(): Promise<void> {
  const config = loadConfig();
  const started = Date.now();
  const db = await openDatabase(config, { command: 'server', address: `http://localhost:${config.port}` });
  const services = createServices(db.knex, config);
  const notes = await seedOnStart(services, config);
  const app = createApp({ services, sessionPool: db.sessionPool });
  const server = app.listen(config.port, () => {
    const where = db.embedded ? `嵌入式 PostgreSQL（${config.dataDir}）` : 'DATABASE_URL 指定的 PostgreSQL';
    const lines = [
      '',
      `非煤矿山安全生产基本情况普查系统 已启动：http://localhost:${config.port}`,
      `数据库：${where}；启动用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`,
      ...notes,
      '',
    ];
    console.log(lines.join('\n'));
  });
  // Behind the start, not in its way: the national statistics page is always warm.
  const stopWarming = services.stats.keepWarm((err) => logger.warn({ err }, 'statistics warm-up failed'));
  const shutdown = () => {
    stopWarming();
    server.close(() => {
      db.close().finally(() => process.exit(0));
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  logger.fatal({ err }, 'failed to start');
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
