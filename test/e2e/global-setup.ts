import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CHROMIUM_PATH, REPO_ROOT, SCREENSHOT_DIR } from './support/paths.js';

/** Once per `npm run test:e2e`: a built portal and a browser must exist. */
export default function setup() {
  // Screenshots are of this run only (no FAILED-*.png left from an earlier one).
  rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}; the browser tests need it ` +
        '(Debian/Ubuntu: apt-get install -y chromium; or set CHROMIUM_PATH).',
    );
  }
  if (!existsSync(path.join(REPO_ROOT, 'build/server/index.js'))) {
    console.log('[e2e] build/server/index.js is missing: running `npm run build` once…');
    execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  }
}
