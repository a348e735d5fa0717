import * as path from 'node:path';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { buildMetaContentSecurityPolicy } from './src-main/transport/content-security-policy';

/** The built index.html carries the studio's CSP as a <meta> tag too (the servers also send it as a header). */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'studio-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: buildMetaContentSecurityPolicy() }, injectTo: 'head-prepend' }],
  };
}

// The renderer is a plain web app: the same bundle runs in the Electron window (served from app://)
// and in a browser tab served by `ivs-studio serve`.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react(), contentSecurityPolicyMeta()],
  // The renderer may import only the contract from src-main (tsconfig.web.json enforces the same).
  resolve: { alias: { '@contract': path.resolve(__dirname, 'src-main/contract') } },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    // Two pages: the studio, and the viewer example page that plays a channel with the cue overlays.
    rolldownOptions: {
      input: {
        index: path.resolve(__dirname, 'src-renderer/index.html'),
        viewer: path.resolve(__dirname, 'src-renderer/viewer.html'),
      },
    },
  },
  test: {
    root: '.',
    include: ['src-main/**/*.test.ts', 'src-renderer/**/*.test.{ts,tsx}', 'test/integration/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Integration tests start ffmpeg, servers and keychains: two cores, so keep parallelism low.
    maxWorkers: 2,
  },
});
