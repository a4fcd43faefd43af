import { loadConfig, type LoadResult } from '@vigil/config';
import type { Env } from '@vigil/core';
import { channelConfigSchemas } from '@vigil/notify';
import { probeKindSchemas } from '@vigil/probes';

export interface ConfigSource {
  /** folder holding vigil.yaml and probes/ */
  root: string;
  /** files or folders relative to root; default ['probes'] */
  paths?: string[];
}

/** Loads vigil.yaml + probe files with every registered probe kind and channel type. */
export function loadVigilConfig(src: ConfigSource, env?: Env): Promise<LoadResult> {
  return loadConfig({
    root: src.root,
    paths: src.paths,
    kinds: probeKindSchemas,
    channelTypes: channelConfigSchemas,
    env,
  });
}
