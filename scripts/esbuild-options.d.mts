import type { BuildOptions, Plugin } from 'esbuild';

export declare const onlyWorkspace: Plugin;
export declare function bundleOptions(entry: string, outfile: string): BuildOptions;
