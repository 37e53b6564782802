// The npm packages the installed app reads from node_modules at run time: the only ones that belong in
// package.json's `dependencies`, which electron-builder packs into the app. Everything else (React, Mantine,
// TanStack, kysely, zod, csv-stringify, ics, ...) is bundled, by Vite into dist/renderer or by esbuild into
// dist-electron, so it is a devDependency and adds nothing to the installer.
// scripts/build-main.mjs keeps RUNTIME_EXTERNALS out of its bundles; tests/integration/runtime-dependencies.test.ts
// checks package.json against these lists and against what the built bundles actually require.

/**
 * Loaded from node_modules instead of bundled: native modules (better-sqlite3, pg's optional pg-native), and
 * pdfkit, whose ESM build reads `import.meta.url` at load, which esbuild empties in CommonJS (the app crashed
 * at start with "TypeError: Invalid URL").
 */
export const RUNTIME_EXTERNALS = ['better-sqlite3', 'pg', 'pg-native', 'pdfkit']

/** Externals that are not installed: pg loads pg-native only for `pg.native`, which the app never uses. */
export const OPTIONAL_EXTERNALS = ['pg-native']

/**
 * Packages whose files (not code) are read at run time: the fonts the PDFs embed (electron/services/pdfFonts.ts).
 * electron-builder.yml leaves out the weights the app does not read.
 */
export const RUNTIME_ASSET_PACKAGES = ['@expo-google-fonts/noto-sans', '@expo-google-fonts/noto-sans-sc']
