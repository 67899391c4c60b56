import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stackSettings } from '../settings.js';
import { ResonanzStack } from '../stack.js';

// The only place that reads context (cdk.json, or `-c key=value` on the command line).
const app = new App();
const settings = stackSettings((key) => app.node.tryGetContext(key));
new ResonanzStack(app, `Resonanz-${settings.stage}`, settings);
// cdk-nag's AWS Solutions rules: a finding without an acknowledgement fails the synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
