/** The benchmarks `npm run bench` knows, loaded lazily so one slow import does not slow the others. */
import { registerBench } from './run.js';

void registerBench;
