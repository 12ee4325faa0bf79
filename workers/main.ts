// Production worker process: `npm run start:worker`. Run any number of them.
import { loadEnvOrExit } from '../app/utils/env.server.js';
import { exitUnlessBackendsReachable } from '../server/preflight.js';
import { createServices } from '../server/services.js';
import { onShutdown } from '../server/shutdown.js';
import { startWorkers } from './start.js';

const env = loadEnvOrExit();
await exitUnlessBackendsReachable(env);
const services = createServices(env);
const workers = await startWorkers(services);
onShutdown(services.logger, async () => {
  await workers.close();
  await services.close();
});
