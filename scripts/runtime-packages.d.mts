export declare const RUNTIME_EXTERNALS: string[]
export declare const OPTIONAL_EXTERNALS: string[]
export declare const RUNTIME_ASSET_PACKAGES: string[]
