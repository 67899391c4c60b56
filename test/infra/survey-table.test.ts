import { describe, expect, it } from 'vitest';
import { resourcesOf, synth } from './synth.js';

describe('SurveyTable', () => {
  it('has the keys the data modules use, on-demand, with PITR, encryption and TTL', () => {
    synth({ stage: 'prod' }).template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
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

  it('keeps a stable logical id and is retained and protected outside dev', () => {
    const resources = resourcesOf(synth({ stage: 'prod' }).template, 'AWS::DynamoDB::GlobalTable');
    expect(Object.keys(resources)).toEqual(['SurveysTable37FA98C9']);
    expect(Object.values(resources)[0]).toMatchObject({ DeletionPolicy: 'Retain' });
    const dev = Object.values(resourcesOf(synth({ stage: 'dev' }).template, 'AWS::DynamoDB::GlobalTable'))[0];
    expect(dev).toMatchObject({
      DeletionPolicy: 'Delete',
      Properties: { Replicas: [{ DeletionProtectionEnabled: false }] },
    });
  });
});
