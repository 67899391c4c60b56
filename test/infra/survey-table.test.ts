import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ResonanzStack } from '../../infra/stack.js';

function synth(stage: string) {
  const app = new App();
  return Template.fromStack(new ResonanzStack(app, 'Test', { stage, env: { region: 'eu-central-1' } }));
}

describe('SurveyTable', () => {
  it('has the keys the data modules use, on-demand, with PITR and TTL', () => {
    const template = synth('prod');
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      Replicas: [
        {
          Region: 'eu-central-1',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        },
      ],
    });
  });

  it('keeps a stable logical id and is retained outside dev', () => {
    const resources = synth('prod').findResources('AWS::DynamoDB::GlobalTable');
    expect(Object.keys(resources)).toEqual(['SurveysTable37FA98C9']);
    expect(Object.values(resources)[0]).toMatchObject({ DeletionPolicy: 'Retain' });
    expect(Object.values(synth('dev').findResources('AWS::DynamoDB::GlobalTable'))[0]).toMatchObject({
      DeletionPolicy: 'Delete',
    });
  });
});
