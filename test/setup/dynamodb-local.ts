import type { TestProject } from 'vitest/node';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

let instance: DynamoDbLocal | undefined;

/** One in-memory DynamoDB Local per test run; every test file creates its own table in it. */
export async function setup(project: TestProject): Promise<void> {
  instance = await startDynamoDbLocal();
  project.provide('dynamoEndpoint', instance.endpoint);
}

export async function teardown(): Promise<void> {
  await instance?.stop();
}
