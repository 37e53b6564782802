/** electron-builder's configuration object (the parts read here; electron-builder's own type is wider). */
export interface BuilderConfig {
  files?: string | (string | { from?: string; filter?: string | string[] })[]
  asarUnpack?: string | string[]
  extraMetadata?: Record<string, unknown>
  directories?: { buildResources?: string; output?: string }
  [key: string]: unknown
}

export declare function loadBuilderConfig(projectDir?: string, file?: string): Promise<BuilderConfig>
/** electron-builder's schema check (throws its "Invalid configuration object" message). */
export declare function validateBuilderConfig(config: BuilderConfig): Promise<void>
export declare function appFiles(appDir: string, config: BuilderConfig): string[]
export declare function productionModuleDirs(projectDir?: string): string[]
export declare function moduleFiles(projectDir: string, moduleDir: string, config: BuilderConfig): string[]
export declare function isNodeModuleFilePacked(rel: string, config: BuilderConfig): boolean
export declare function isUnpacked(rel: string, config: BuilderConfig): boolean
export interface StagedApp {
  /** the app's own files, relative to the app folder */
  own: string[]
  /** each production package's folder and the files of it that are packed (relative to the app folder) */
  modules: { dir: string; files: string[] }[]
}
export declare function stageApp(projectDir: string, builtDir: string, destDir: string, config: BuilderConfig): StagedApp
