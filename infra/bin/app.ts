import { App } from 'aws-cdk-lib';
import { ResonanzStack } from '../stack.js';

// The only place that reads context.
const app = new App();
const stage = String(app.node.tryGetContext('stage') ?? 'dev');
const region = String(app.node.tryGetContext('region') ?? 'eu-central-1');
new ResonanzStack(app, `Resonanz-${stage}`, { stage, env: { region } });
