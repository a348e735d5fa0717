import { defineConfig } from 'vite';

/**
 * The Electron preload, bundled: a sandboxed preload may require only `electron` and a few
 * built-ins, so the contract's allow-lists are inlined into one CommonJS file.
 */
export default defineConfig({
  publicDir: false,
  build: {
    lib: { entry: 'src-main/preload/preload.ts', formats: ['cjs'], fileName: () => 'preload.js' },
    outDir: 'dist/preload',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    target: 'es2022',
    rollupOptions: { external: ['electron'] },
  },
});
