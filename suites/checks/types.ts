// A check is data: who it is, how strict, where its requirement comes from, what it sends and how it
// judges what comes back. The runner (suites/runner/run-check.ts) turns it into a verdict; specs are
// thin loops over checks. Each capability declares its checks in suites/checks/<capability>.ts.
import type { Level, Verdict } from '../../lib/results.ts';
import type { Exchange, RequestSpec } from '../runner/client.ts';
import type { CheckContext } from '../runner/context.ts';

export type { Level, Verdict, Exchange, RequestSpec, CheckContext };

export type Capability =
  | 'core'
  | 'streaming'
  | 'stream-usage'
  | 'reasoning'
  | 'tools'
  | 'parallel-tools'
  | 'vision'
  | 'structured-output'
  | 'logprobs'
  | 'n'
  | 'seed'
  | 'equivalence'
  | 'errors'
  | 'models'
  | 'auth';

export const CAPABILITIES: Capability[] = [
  'core',
  'streaming',
  'stream-usage',
  'reasoning',
  'tools',
  'parallel-tools',
  'vision',
  'structured-output',
  'logprobs',
  'n',
  'seed',
  'equivalence',
  'errors',
  'models',
  'auth',
];

/**
 * What a validator found. A plain string is a problem: FAIL for a MUST, WARN for a SHOULD or a MAY.
 * A MAY check that holds is INFO (it reports figures in `metrics`).
 * The object forms say more:
 *  - lenient: the requirement held only leniently (a MUST becomes WARN), say how;
 *  - warn: a problem that is a warning whatever the level (the endpoint does not claim what was judged);
 *  - ignored: an effect probe found the parameter accepted without effect (IGNORED);
 *  - unsupported: the endpoint refused the feature cleanly (UNSUPPORTED when not claimed, else a problem);
 *  - skip: the check cannot be judged (a prerequisite failed), say why.
 */
export type Finding =
  | string
  | { lenient: string }
  | { warn: string }
  | { ignored: string }
  | { unsupported: string }
  | { skip: string };

/** Judges one exchange. Returns nothing when the requirement holds. May add notes/metrics to `out`. */
export type Validator = (x: Exchange, ctx: CheckContext, out: ValidatorOutput) => Finding | undefined | void;

export interface ValidatorOutput {
  /** facts worth showing in the evidence (assembled text, parsed arguments...) */
  notes: Record<string, unknown>;
  /** MAY figures (ttftMs, meanGapMs, chunks, tokensPerSecond) */
  metrics: Record<string, number>;
}

interface CheckBase {
  /** stable, dotted, e.g. stream.done-sentinel */
  id: string;
  level: Level;
  capability: Capability;
  /** one line */
  title: string;
  /** the requirement, one quoted sentence */
  requirement: string;
  /**
   * where the requirement comes from: an OpenAI API reference section, a JSON pointer into the
   * contract (schemas/…#/…, openapi/openapi.yaml#/…) or the SSE specification (support/refs.ts)
   */
  ref: string;
  /** the mock-server fault (x-mock-fault value) that must make this check fail */
  fault: string;
  /** the outcome depends on what the model chooses: run REPEAT times, report pass@k and pass^k */
  dependsOnModel?: boolean;
  /** when its request, shared with other checks, fails outright, this check FAILs and they SKIP */
  judgesFailures?: boolean;
  /** a precondition on the run (a claim, a key): a finding here (usually a skip) replaces the run */
  when?: (ctx: CheckContext) => Finding | undefined;
}

/** A check of one exchange: send `request`, apply `validate` in order; the first finding decides. */
export interface ExchangeCheck extends CheckBase {
  request: RequestSpec | ((ctx: CheckContext) => RequestSpec);
  validate: Validator[];
}

/** A check that needs several exchanges (effect probes, a follow-up after an error, comparisons). */
export interface ScriptedCheck extends CheckBase {
  run: (ctx: CheckContext, out: ValidatorOutput) => Promise<Finding | undefined | void>;
}

export type Check = ExchangeCheck | ScriptedCheck;

export function isScripted(check: Check): check is ScriptedCheck {
  return 'run' in check;
}

type WithoutCapability<T> = T extends unknown ? Omit<T, 'capability'> : never;

/** A check as its capability file declares it (the file says the capability). */
export type CheckDeclaration = WithoutCapability<Check>;

/** The checks of one capability, in report order. */
export function checksOf(capability: Capability, declared: CheckDeclaration[]): Check[] {
  return declared.map((check) => ({ ...check, capability }) as Check);
}
