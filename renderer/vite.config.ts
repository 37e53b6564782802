import react from '@vitejs/plugin-react'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))

/**
 * The imaging viewer's dwv decodes compressed DICOM images (JPEG baseline and lossless, JPEG 2000, RLE) in module
 * workers it loads from `<the page's base URL>assets/workers/<name>.worker.min.js`, a URL built at run time that
 * the bundler cannot follow: they are copied there.
 */
function dwvWorkers(): Plugin {
  const dir = fileURLToPath(new URL('../node_modules/dwv/dist/assets/workers/', import.meta.url))
  return {
    name: 'dwv-workers',
    apply: 'build',
    generateBundle() {
      for (const name of readdirSync(dir).filter((n) => n.endsWith('.worker.min.js'))) {
        this.emitFile({ type: 'asset', fileName: `assets/workers/${name}`, source: readFileSync(dir + name) })
      }
    },
  }
}

export default defineConfig({
  root,
  // Relative asset paths: the same build loads from file:// in Electron and from the bridge over http.
  base: './',
  plugins: [react(), dwvWorkers()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    reportCompressedSize: true,
  },
})
