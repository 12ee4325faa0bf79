import type { AddressInfo, Server } from 'node:net';
import type { ServerBuild } from '@remix-run/node';
import { createServer, type ViteDevServer } from 'vite';
import { createWebApp } from '../../server/web-app.js';
import type { TestApp } from './services.js';

export interface TestWebServer {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real web stack (headers, CSRF, Remix with every route) over HTTP, with
 * the app compiled on the fly by Vite, so `npm test` needs no prior build.
 */
export async function startTestWebServer(app: TestApp): Promise<TestWebServer> {
  const vite: ViteDevServer = await createServer({
    server: { middlewareMode: true, hmr: false, watch: null },
    appType: 'custom',
    logLevel: 'silent',
  });
  const build = () => vite.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>;
  const web = createWebApp(app.services, build, '/nonexistent');
  const server: Server = web.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await vite.close();
    },
  };
}
