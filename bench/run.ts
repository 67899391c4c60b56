import { run as bundles } from './bundles.js';
import { run as csvRecord } from './csv-record.js';
import { run as exportScale } from './export-scale.js';
import { run as impactRead } from './impact-read.js';
import { run as load } from './load.js';
import { run as submitThroughput } from './submit-throughput.js';

// Local runs only (Lambda runs Node 24). Documented switch: https://github.com/aws/aws-sdk-js-v3/issues/7983
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Every benchmark prints its figures and its ratio to a baseline measured in the same run.
await submitThroughput();
await impactRead();
await exportScale();
await csvRecord();
await bundles();
await load();
