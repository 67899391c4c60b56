import { run as submitThroughput } from './submit-throughput.js';

// Every benchmark prints its figures and its ratio to a baseline measured in the same run.
await submitThroughput();
