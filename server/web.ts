// Production web process: `npm run build` then `npm run start:web`. Stateless;
// run any number behind a load balancer.
import path from 'node:path';
import type { ServerBuild } from '@remix-run/node';
import { loadEnvOrExit } from '../app/utils/env.server.js';
import { createServices, databaseHealthy } from './services.js';
import { onShutdown } from './shutdown.js';
import { createWebApp } from './web-app.js';

const env = loadEnvOrExit();
const services = createServices(env);
if (!(await databaseHealthy(services))) {
  console.error('Cannot reach the database at DATABASE_URL; is PostgreSQL running?');
  process.exit(1);
}
if (!(await services.queueHealthy())) {
  console.error(`Cannot reach the queue backend (${env.REDIS_URL ? 'REDIS_URL' : 'DATABASE_URL'}); is it running?`);
  process.exit(1);
}
const buildDir = path.resolve('build');
const build = (await import(path.join(buildDir, 'server/index.js'))) as ServerBuild;
const app = createWebApp(services, build, path.join(buildDir, 'client'));
const server = app.listen(env.PORT, env.HOST, () => {
  services.logger.info({ url: env.PUBLIC_URL, port: env.PORT }, 'web listening');
});
onShutdown(services.logger, async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await services.close();
});
