import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import type { S3Credentials } from '../../core/s3/types';
import { s3 } from '../lazy';
import { BACK, MultiStepInput, type Answers } from '../prompts';
import type { Ctx } from '../ctx';
import { probe } from './probe';

/** What the connection steps collect. The secret stays in memory until it goes to SecretStorage. */
export interface Draft {
  name: string;
  endpoint: string;
  region: string;
  pathStyle: boolean;
  how: 'keys' | 'profile' | 'default';
  accessKeyId: string;
  secretAccessKey: string;
  profile: string;
}

const STYLE = { path: 'Path-style', virtual: 'Virtual-hosted' } as const;
const HOW = { keys: 'Access key pair', profile: 'AWS profile', default: 'Default provider chain' } as const;
const SAVE_ANYWAY = 'Save Anyway';
type StepId = 'name' | 'endpoint' | 'region' | 'style' | 'how' | 'keyId' | 'secret' | 'profile' | 'test';
const CHANGE: Partial<Record<StepId, string>> = { name: 'Change the Name', endpoint: 'Change the Endpoint', region: 'Change the Region', style: 'Change the Addressing', how: 'Change the Credentials' };

export interface WizardOptions {
  /** The connection being edited: its name is not "taken", and an empty secret keeps the stored one. */
  editing?: { id: string; storedKeys: boolean };
  answers?: Answers;
}

/**
 * "Add S3 Connection" as one multi-step input: each step checks what is typed (the endpoint
 * when it is typed, not after the secret), Back keeps every value, and the last step tests the
 * connection; when the test fails the user picks what to change and nothing is typed again.
 * Resolves to the draft to save, or undefined when the user closed it.
 */
export async function connectionWizard(ctx: Ctx, start: Draft, o: WizardOptions = {}): Promise<{ draft: Draft; tested?: string } | undefined> {
  const d: Draft = { ...start };
  const ui = new MultiStepInput(o.answers);
  const taken = new Set(ctx.s3.connections.list().filter((c) => c.id !== o.editing?.id).map((c) => c.name));
  const order = (): StepId[] => ['name', 'endpoint', 'region', 'style', 'how', ...(d.how === 'keys' ? (['keyId', 'secret'] as const) : d.how === 'profile' ? (['profile'] as const) : []), 'test'];
  let at = 0;
  // After "Change the ..." from a failed test, the changed step leads straight back to the test.
  let fixing = false;
  for (;;) {
    const steps = order();
    const id = steps[at]!;
    const where = { step: at + 1, total: steps.length };
    let answer: string | undefined;
    switch (id) {
      case 'name':
        answer = await ui.input({ ...where, title: 'Add S3 Connection: name', value: d.name, placeHolder: 'e.g. MinIO on the NAS',
          validate: (v) => (!v.trim() ? 'A name is needed.' : taken.has(v.trim()) ? `A connection named "${v.trim()}" exists; choose another name.` : undefined) });
        if (answer !== undefined && answer !== BACK) d.name = answer.trim();
        break;
      case 'endpoint':
        answer = await ui.input({ ...where, title: 'Add S3 Connection: endpoint URL', prompt: 'Leave empty for AWS itself.', value: d.endpoint, placeHolder: 'http://127.0.0.1:9000',
          validate: (v) => { try { s3().checkEndpoint(v); return undefined; } catch (e) { return messageOf(e); } } });
        if (answer !== undefined && answer !== BACK) {
          if (answer.trim() !== d.endpoint) d.pathStyle = answer.trim() !== '';
          d.endpoint = answer.trim();
        }
        break;
      case 'region':
        answer = await ui.input({ ...where, title: 'Add S3 Connection: region', value: d.region, placeHolder: 'us-east-1',
          validate: (v) => (/^[a-z0-9][a-z0-9-]*$/.test(v.trim()) ? undefined : 'Use lowercase letters, digits and hyphens, like us-east-1 (Cloudflare R2: auto).') });
        if (answer !== undefined && answer !== BACK) d.region = answer.trim();
        break;
      case 'style':
        answer = await ui.pick({ ...where, title: 'Add S3 Connection: addressing', value: d.pathStyle ? STYLE.path : STYLE.virtual, items: [
          { label: STYLE.path, description: 'bucket in the path; MinIO, Ceph, moto' },
          { label: STYLE.virtual, description: 'bucket in the host name; AWS' },
        ] });
        if (answer !== undefined && answer !== BACK) d.pathStyle = answer === STYLE.path;
        break;
      case 'how':
        answer = await ui.pick({ ...where, title: 'Add S3 Connection: credentials', value: HOW[d.how], items: [
          { label: HOW.keys, description: 'kept in VS Code\'s secret storage, never in the settings' },
          { label: HOW.profile, description: 'shared config and credentials files, SSO included' },
          { label: HOW.default, description: 'environment, instance or container role' },
        ] });
        if (answer !== undefined && answer !== BACK) d.how = (Object.keys(HOW) as Draft['how'][]).find((k) => HOW[k] === answer)!;
        break;
      case 'keyId':
        answer = await ui.input({ ...where, title: 'Add S3 Connection: access key id', value: d.accessKeyId,
          validate: (v) => (/^\S+$/.test(v.trim()) ? undefined : 'The access key id is needed (no spaces).') });
        if (answer !== undefined && answer !== BACK) d.accessKeyId = answer.trim();
        break;
      case 'secret': {
        const keep = o.editing?.storedKeys === true;
        answer = await ui.input({ ...where, title: 'Add S3 Connection: secret access key', password: true, value: d.secretAccessKey,
          prompt: keep ? 'Leave empty to keep the stored secret. It goes to the secret storage only.' : 'It goes to VS Code\'s secret storage only.',
          validate: (v) => (v === '' && !keep ? 'The secret access key is needed.' : /\s/.test(v) ? 'A secret access key has no spaces.' : undefined) });
        if (answer !== undefined && answer !== BACK) d.secretAccessKey = answer;
        break;
      }
      case 'profile':
        answer = await ui.input({ ...where, title: 'Add S3 Connection: AWS profile name', value: d.profile,
          validate: (v) => (/^[\w.@+-]+$/.test(v.trim()) ? undefined : 'A profile name from ~/.aws/config, like default.') });
        if (answer !== undefined && answer !== BACK) d.profile = answer.trim();
        break;
      case 'test': {
        const tested = await testDraft(ctx, d, o.editing);
        if ('works' in tested) return { draft: d, tested: tested.works };
        const failure = tested.failed;
        answer = await ui.pick({ ...where, title: 'Add S3 Connection: the test failed', placeHolder: 'Pick what to change; what you typed is kept.',
          message: `The test of the S3 connection "${d.name}" failed: ${failure} Pick what to change; what you typed is kept.`, items: [
          ...(Object.entries(CHANGE) as [StepId, string][]).map(([step, label]) => ({ label, description: describe(d, step) })),
          { label: SAVE_ANYWAY, description: 'keep it as typed, and fix it later with "Edit S3 Connection..."' },
        ] });
        if (answer === SAVE_ANYWAY) return { draft: d };
        const jump = (Object.entries(CHANGE) as [StepId, string][]).find(([, label]) => label === answer)?.[0];
        if (jump) {
          at = order().indexOf(jump);
          fixing = jump !== 'how';
          continue;
        }
        break;
      }
    }
    if (answer === undefined) return undefined;
    if (answer === BACK) fixing = false;
    at = answer === BACK ? Math.max(0, at - 1) : fixing ? order().indexOf('test') : at + 1;
    if (order()[at] === 'test') fixing = false;
  }
}

function describe(d: Draft, step: StepId): string {
  switch (step) {
    case 'name': return d.name;
    case 'endpoint': return d.endpoint || 'AWS';
    case 'region': return d.region;
    case 'style': return d.pathStyle ? STYLE.path : STYLE.virtual;
    case 'how': return d.how === 'profile' ? `${HOW.profile} ${d.profile}` : d.how === 'keys' ? `${HOW.keys} ${d.accessKeyId}` : HOW.default;
    default: return '';
  }
}

/** Lists the buckets with what was typed, before anything is saved: what it found, or why it failed. */
async function testDraft(ctx: Ctx, d: Draft, editing: WizardOptions['editing']): Promise<{ works: string } | { failed: string }> {
  let credentials: S3Credentials = d.how === 'profile' ? { kind: 'profile', profile: d.profile } : { kind: 'default' };
  if (d.how === 'keys') {
    const stored = !d.secretAccessKey && editing ? await ctx.s3.connections.credentials({ id: editing.id, name: d.name }) : undefined;
    credentials = { kind: 'keys', accessKeyId: d.accessKeyId, secretAccessKey: d.secretAccessKey || (stored?.kind === 'keys' ? stored.secretAccessKey : '') };
  }
  const client = s3().createS3Client({ endpoint: d.endpoint, region: d.region, forcePathStyle: d.pathStyle, credentials, maxAttempts: 1 });
  try {
    const summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing the S3 connection "${d.name}"...` }, () => probe(client));
    return { works: summary.text };
  } catch (e) {
    const why = messageOf(e);
    ctx.log.warn(`S3 connection "${d.name}" test failed: ${why}`);
    return { failed: /[.!?]$/.test(why) ? why : `${why}.` };
  } finally {
    client.destroy();
  }
}
