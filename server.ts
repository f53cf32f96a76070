// The production entry point: `npm run build` compiles it to dist/server.js, beside dist/src/,
// dist/migrations/ and dist/seeds/; `NODE_ENV=production node dist/server.js` starts the server.
import './src/server';
