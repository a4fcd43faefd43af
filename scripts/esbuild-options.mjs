// How every Vigil bundle is compiled: `npm run build` (scripts/build.mjs, the image) and the benchmarks
// (bench/lib/bundle.ts) build with these options, so the bench measures what production runs.

/** Third-party packages stay imports (resolved from node_modules at run time); @vigil/* is compiled in. */
export const onlyWorkspace = {
  name: 'only-workspace',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@vigil/') ? undefined : { path: args.path, external: true },
    );
  },
};

/** esbuild options compiling the entry point `entry` to the one plain-JS ESM file `outfile`, for Node 20. */
export function bundleOptions(entry, outfile) {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    plugins: [onlyWorkspace],
  };
}
