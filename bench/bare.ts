import express from 'express';
import path from 'node:path';

// The render limit the pages are measured against (bench/run.ts): the same Express 5 and EJS
// render a 50-row table from memory — no database, no session, no middleware.

const rows = Array.from({ length: 50 }, (_, i) => ({
  id: 1000 + i,
  code: `91330106MA2${String(i).padStart(7, '0')}`,
  enterprise: `基准矿业有限公司${i}`,
  name: `基准生产系统${i}`,
  category: i % 2 ? '尾矿库' : '金属非金属地下矿山',
  region: '浙江省杭州市西湖区',
  state: '下级报送',
}));

const app = express();
app.set('view engine', 'ejs');
app.set('views', path.join(__dirname, 'bare'));
app.enable('view cache');
app.disable('x-powered-by');
app.get('/', (_req, res) => res.render('table', { title: '待审核', rows }));
const server = app.listen(Number(process.env.PORT ?? 3101), () => console.log('bare render listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
