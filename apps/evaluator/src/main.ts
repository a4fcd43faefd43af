import { startEvaluatorProcess } from './process.js';

await startEvaluatorProcess();
