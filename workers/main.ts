// Production worker process: `npm run start:worker`. Run any number of them.
import { loadEnvOrExit } from '../app/utils/env.server.js';
import { createServices, databaseHealthy } from '../server/services.js';
import { onShutdown } from '../server/shutdown.js';
import { startWorkers } from './start.js';

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
const workers = await startWorkers(services);
onShutdown(services.logger, async () => {
  await workers.close();
  await services.close();
});
