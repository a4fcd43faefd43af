#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx vigil` works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
await main(process.argv);
