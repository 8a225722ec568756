// Browser tests run against the release build in dist/ (scripts/test.sh builds
// it first), in Debian's Chromium; no browser is ever downloaded.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.FOLIO_E2E_PORT ?? 4173);
// FOLIO_DIST serves another build (default: ../../dist).
const dist = process.env.FOLIO_DIST ?? '../../dist';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.mjs',
  outputDir: 'test-results',
  timeout: 30_000,
  retries: 0,
  workers: 2,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.FOLIO_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `node serve.mjs --port ${port} --dist ${dist}`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
  },
});
