import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { SurveyTable } from './constructs/survey-table.js';

export interface ResonanzStackProps extends StackProps {
  readonly stage: string;
}

/** Wires the constructs. Today the table; functions, API, auth and exports follow (deployment issue). */
export class ResonanzStack extends Stack {
  constructor(scope: Construct, id: string, props: ResonanzStackProps) {
    super(scope, id, props);
    new SurveyTable(this, 'Surveys', { retain: props.stage !== 'dev' });
  }
}
