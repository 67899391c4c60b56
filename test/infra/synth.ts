import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { ResonanzStack, type ResonanzStackProps } from '../../infra/stack.js';

export interface Synthesized {
  template: Template;
  stack: ResonanzStack;
  /** The logical id of a construct's CloudFormation resource (e.g. `stack.functions.respond.role`). */
  idOf(construct: IConstruct): string;
}

/**
 * The stack's template as `cdk synth` makes it, without bundling the functions (context
 * `aws:cdk:bundling-stacks: []`): these tests check properties, not code. cdk-synth.test.ts runs the
 * real `npm run synth`, bundling and cdk-nag included.
 */
export function synth(props: Partial<ResonanzStackProps> = {}): Synthesized {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new ResonanzStack(app, 'Test', { stage: 'prod', env: { region: 'eu-central-1' }, ...props });
  return {
    template: Template.fromStack(stack),
    stack,
    idOf: (construct) => stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement),
  };
}

export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
}

export function resourcesOf(template: Template, type: string): Record<string, CfnResource> {
  return template.findResources(type) as Record<string, CfnResource>;
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Every IAM statement attached to the role with logical id `roleId`, from all its policies. */
export function statementsOf(template: Template, roleId: string): Statement[] {
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

export const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
