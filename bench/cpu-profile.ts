// Where a server's time goes: a V8 CPU profile (.cpuprofile, from node --cpu-prof) summed by self
// time into the stages of the mock's pipeline, and the functions that cost most.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The stage a function belongs to, from its file (first match wins). */
const STAGES: [string, RegExp][] = [
  ['request validation (Ajv)', /\/lib\/validate\.ts|\/ajv\/|^validate\d*$/],
  ['JSON.parse and request checks', /request-checks\.ts/],
  ['synthesis', /\/mock-server\/(synth[\w-]*|tokenizer|conversation|ids|schema-gen|pattern-gen|answer-cache|answer-plans)\.ts/],
  ['serialisation (render, framing)', /\/mock-server\/(render|framing|respond)\.ts/],
  ['engine (routing, scenarios, journal)', /\/mock-server\/(engine|routes|scenarios|journal|timing|models|auth|access-log|admin|cors|fault-attempts)\.ts/],
  ['mock transport', /\/mock-server\/(standalone|node-io|plan-writer|mock-request)\.ts/],
  ['HTTP request parsing (node)', /node:_http_(server|common|incoming)|HTTPParser|parserOn/],
  ['HTTP response and socket writes (node)', /node:(_http_outgoing|net|stream|internal\/streams|buffer|internal\/buffer)|writev|writeGeneric/],
];

export interface ProfileSummary {
  /** milliseconds of samples, idle excluded */
  busyMs: number;
  stages: { stage: string; ms: number; share: number }[];
  top: { fn: string; ms: number; share: number }[];
}

function stageOf(frame: ProfileNode['callFrame']): string {
  if (frame.functionName === '(garbage collector)') return 'garbage collection';
  if (frame.functionName === '(program)') return 'V8 and native code (JSON, Buffer)';
  for (const [stage, test] of STAGES) if (test.test(frame.url) || test.test(frame.functionName)) return stage;
  return 'other (JS built-ins, timers, tsx)';
}

export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const stages = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    busy += us;
    const stage = stageOf(frame);
    stages.set(stage, (stages.get(stage) ?? 0) + us);
    const fn = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(?=[^/]+$)/, '')}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
  }
  const rows = <K extends string>(m: Map<string, number>, key: K) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ [key]: name, ms: us / 1000, share: busy > 0 ? us / busy : 0 }) as { [P in K]: string } & { ms: number; share: number });
  return { busyMs: busy / 1000, stages: rows(stages, 'stage'), top: rows(fns, 'fn').slice(0, top) };
}
