// Production web process: `npm run build` then `npm run start:web`. Stateless;
// run any number behind a load balancer.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ServerBuild } from '@remix-run/node';
import { loadEnvOrExit } from '../app/utils/env.server.js';
import { exitUnlessBackendsReachable } from './preflight.js';
import { createServices } from './services.js';
import { onShutdown } from './shutdown.js';
import { createWebApp } from './web-app.js';

const env = loadEnvOrExit();
await exitUnlessBackendsReachable(env);
const services = createServices(env);
const buildDir = path.resolve('build');
if (!existsSync(path.join(buildDir, 'server/index.js'))) {
  console.error('No build found in ./build; run `npm run build` first.');
  process.exit(1);
}
const build = (await import(path.join(buildDir, 'server/index.js'))) as ServerBuild;
const app = createWebApp(services, build, path.join(buildDir, 'client'));
const server = app.listen(env.PORT, env.HOST, () => {
  services.logger.info({ url: env.PUBLIC_URL, port: env.PORT }, 'web listening');
});
onShutdown(services.logger, async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await services.close();
});
