import { loadConfig, formatDiagnostic } from './src/index.js';
import { probeKindSchemas } from '@vigil/probes';
const r = await loadConfig({
  root: process.argv[2]!,
  kinds: probeKindSchemas,
  env: process.argv[3] ? {} : undefined,
});
for (const d of r.diagnostics) console.log(formatDiagnostic(d));
console.log(r.config?.probes.length, r.config?.files);
