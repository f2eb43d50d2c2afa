import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { App, type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { OtaStack, type OtaStackProps } from '../../infra/ota-stack.js';

const { AwsSolutionsChecks } = createRequire(import.meta.url)('cdk-nag') as typeof import('cdk-nag');

export type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; DependsOn?: string | string[] };
export type TemplateJson = { Resources: Record<string, Resource>; Parameters?: Record<string, unknown>; Outputs?: Record<string, unknown> };

/** The feature flags `cdk synth` runs with, so tests synthesize what a deploy would. */
const CDK_CONTEXT = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'cdk.json'), 'utf8')).context as Record<string, unknown>;

/** An app with the project's feature flags that skips bundling. */
export function testApp(): App {
  return new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
}

export const TEST_ENV = { env: { account: '123456789012', region: 'eu-west-1' } } as const;

export interface Synthesized {
  readonly app: App;
  readonly stack: OtaStack;
  /** The root stack first, then every nested stack. */
  readonly stacks: readonly Stack[];
  /** cdk-nag AwsSolutions findings that were not acknowledged (empty unless `nag` was asked for). */
  readonly nagFindings: readonly string[];
  template(stack: Stack): TemplateJson;
}

/**
 * Synthesizes the stack once. Bundling is skipped (the entry files must still exist): template
 * assertions do not depend on bundle contents, and bundling 30+ functions is most of a synth;
 * `npx cdk synth` bundles every function.
 */
export function synthesize(props: OtaStackProps = {}, options: { nag?: boolean; id?: string; envAgnostic?: boolean } = {}): Synthesized {
  const app = testApp();
  // Env-agnostic is what `cdk synth` without credentials produces (account and region are tokens).
  const stack = new OtaStack(app, options.id ?? 'Test', { ...(options.envAgnostic ? {} : TEST_ENV), ...props });
  const nagFindings: string[] = [];
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  // One synth; templates are read from the cloud assembly, which is written before validation
  // runs, so an unacknowledged finding fails the nag test only.
  const original = console.error;
  if (options.nag) console.error = (...args: unknown[]) => nagFindings.push(args.join(' '));
  try {
    app.synth();
  } catch (error) {
    if (!options.nag || !/[Vv]alidation/.test(String(error))) throw error;
    nagFindings.push(String(error));
  } finally {
    console.error = original;
  }
  const stacks: Stack[] = [stack, ...stack.routes.stacks, stack.events];
  const templates = new Map<Stack, TemplateJson>();
  return {
    app,
    stack,
    stacks,
    nagFindings: nagFindings.filter((line) => line.includes('AwsSolutions') || line.includes('Error')),
    template(s: Stack): TemplateJson {
      let json = templates.get(s);
      if (!json) {
        json = JSON.parse(readFileSync(join(app.outdir, s.templateFile), 'utf8')) as TemplateJson;
        templates.set(s, json);
      }
      return json;
    },
  };
}

/** Logical id of a construct's CloudFormation resource in its own stack. */
export function logicalId(stack: Stack, resource: CfnResource): string {
  return stack.getLogicalId(resource);
}

/** The inline policy statements of a function's role, with each Resource normalized to a list. */
export function statementsOf(s: Synthesized, fn: IFunction): { Action: string[]; Resource: unknown[]; Condition?: unknown }[] {
  const role = fn.role;
  if (!role) throw new Error('function without role');
  const stack = Stack.of(role);
  const roleId = logicalId(stack, role.node.defaultChild as CfnResource);
  return Object.values(s.template(stack).Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: { Ref: string }) => x.Ref === roleId))
    .flatMap((r) => r.Properties.PolicyDocument.Statement)
    .map((st: { Action: string | string[]; Resource: unknown; Condition?: unknown }) => ({
      Action: Array.isArray(st.Action) ? st.Action : [st.Action],
      Resource: Array.isArray(st.Resource) ? st.Resource : [st.Resource],
      ...(st.Condition ? { Condition: st.Condition } : {}),
    }));
}

/**
 * Rewrites a nested stack's value into root-stack terms: each `Ref` to one of the nested stack's
 * parameters becomes the expression the root passes for it. Lets tests compare a nested function's
 * environment with root resources.
 */
export function inRootTerms(s: Synthesized, nested: Stack, value: unknown): unknown {
  if (!nested.nestedStackResource) return value;
  const root = s.template(s.stack).Resources;
  const nestedId = logicalId(s.stack, nested.nestedStackResource);
  const parameters = (root[nestedId]?.Properties.Parameters ?? {}) as Record<string, unknown>;
  const rewrite = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rewrite);
    if (v && typeof v === 'object') {
      const entries = Object.entries(v);
      if (entries.length === 1 && entries[0]?.[0] === 'Ref' && typeof entries[0][1] === 'string' && entries[0][1] in parameters) {
        return parameters[entries[0][1]];
      }
      return Object.fromEntries(entries.map(([k, x]) => [k, rewrite(x)]));
    }
    return v;
  };
  return rewrite(value);
}

/** Every resource id a resource depends on: Ref, Fn::GetAtt, Fn::Sub variables and DependsOn. */
export function dependenciesOf(resource: Resource, ids: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'Ref' && typeof x === 'string' && ids.has(x)) found.add(x);
        else if (k === 'Fn::GetAtt') {
          const target = Array.isArray(x) ? x[0] : String(x).split('.')[0];
          if (typeof target === 'string' && ids.has(target)) found.add(target);
        } else if (k === 'Fn::Sub') {
          const text = Array.isArray(x) ? x[0] : x;
          for (const m of String(text).matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) if (m[1] && ids.has(m[1])) found.add(m[1]);
          visit(x);
        } else visit(x);
      }
    }
  };
  visit(resource.Properties);
  for (const d of [resource.DependsOn ?? []].flat()) found.add(d);
  return found;
}
