// core: the non-streamed chat completion — its shape field by field, the messages and parameters
// every OpenAI-compatible server accepts, and the parameters whose effect can be forced and observed
// (max_tokens, max_completion_tokens, stop).
import { acceptedProblem, isObject, show } from './stream-helpers.ts';
import type { Check, CheckContext, Exchange, Finding, RequestSpec, Validator } from './types.ts';
import { chat, contentType, createdProblem, firstChoice, jsonBody, schema, status } from './validators.ts';

type Json = Record<string, any>;

export const FINISH_REASONS = ['stop', 'length', 'tool_calls', 'content_filter', 'function_call'];

/** The plain request most core checks judge (sent once per worker, judged by many checks). */
export const CHAT: RequestSpec = { body: chat() };

/** Validators that need choices[0]: skip when there is none (core.choices.non-empty reports it). */
function withChoice(judge: (choice: Json, x: Exchange, out: { notes: Record<string, unknown> }) => Finding | undefined): Validator {
  return (x, _ctx, out) => {
    const choice = firstChoice(x);
    if (!isObject(choice)) {
      return { skip: `prerequisite failed: choices[0] is ${show(choice)}, so there is nothing to judge (see core.choices.non-empty)` };
    }
    return judge(choice, x, out);
  };
}

function body(x: Exchange): Json {
  return isObject(x.json) ? (x.json as Json) : {};
}

/** The usage object, or undefined. */
function usage(x: Exchange): Json | undefined {
  const u = body(x).usage;
  return isObject(u) ? u : undefined;
}

/** total_tokens = prompt_tokens + completion_tokens, each a non-negative integer. Exported for stream-usage. */
export function usageArithmetic(u: Json, where: string): string | undefined {
  for (const field of ['prompt_tokens', 'completion_tokens', 'total_tokens']) {
    const v = u[field];
    if (!Number.isInteger(v) || v < 0) return `${where}.${field} is ${show(v)}, not a non-negative integer`;
  }
  if (u.total_tokens !== u.prompt_tokens + u.completion_tokens) {
    return `${where}.total_tokens is ${u.total_tokens}, but prompt_tokens + completion_tokens = ${u.prompt_tokens} + ${u.completion_tokens} = ${u.prompt_tokens + u.completion_tokens}`;
  }
}

/** A request that must be accepted: the answer is a 200 completion. */
async function acceptedCompletion(ctx: CheckContext, spec: RequestSpec, what: string): Promise<string | undefined> {
  const x = await ctx.send(spec);
  return acceptedProblem(x, what);
}

/** One scripted check per parameter family: every request must be accepted (200, a completion). */
function accepts(specs: { what: string; body: Json }[]): (ctx: CheckContext, out: { notes: Record<string, unknown> }) => Promise<Finding | undefined> {
  return async (ctx, out) => {
    const accepted: string[] = [];
    for (const s of specs) {
      const problem = await acceptedCompletion(ctx, { body: s.body }, s.what);
      if (problem) return accepted.length > 0 ? `${problem} (accepted before it: ${accepted.join('; ')})` : problem;
      accepted.push(s.what);
    }
    out.notes.accepted = accepted;
  };
}

// -------------------------------------------------------------------------------------------------
// stop: an effect probe. First the unstopped answer, then the same request with stop words taken
// from it; the stopped answer must not contain them.

const STOP_PROMPT = 'List the seven days of the week in order, separated by commas. Nothing else.';
export const STOP_BASE: RequestSpec = { body: chat(STOP_PROMPT, { temperature: 0, max_tokens: 64 }) };

interface Word {
  word: string;
  at: number;
}

/** Words (3+ letters or digits) of a text at their first occurrence, excluding the first 10% of the text. */
function candidateWords(text: string): Word[] {
  const seen = new Set<string>();
  const words: Word[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]{3,}/gu)) {
    const w = m[0];
    if (seen.has(w)) continue;
    seen.add(w);
    const at = text.indexOf(w); // the first occurrence (maybe inside an earlier word)
    if (at <= 0 || at < text.length * 0.1) continue;
    words.push({ word: w, at });
  }
  return words;
}

export async function stopBaseline(ctx: CheckContext, out: { notes: Record<string, unknown> }): Promise<{ text: string } | { finding: Finding }> {
  const x = await ctx.send(STOP_BASE);
  const problem = acceptedProblem(x, 'the request without stop');
  if (problem) return { finding: problem };
  const text = firstChoice(x)?.message?.content;
  out.notes.unstopped = text;
  if (typeof text !== 'string' || candidateWords(text).length === 0) {
    return { finding: { skip: `prerequisite failed: the answer without stop (${show(text)}) has no word after its start to stop on` } };
  }
  return { text };
}

/** The word a single-stop probe uses: from the middle of the unstopped answer. */
export function stopWord(text: string): string {
  const words = candidateWords(text);
  return words[Math.floor(words.length / 2)].word;
}

function stoppedText(x: Exchange): { text: string; finish: unknown } | { finding: Finding } {
  const problem = acceptedProblem(x, 'the request with stop');
  if (problem) return { finding: problem };
  const choice = firstChoice(x);
  const content = choice?.message?.content;
  if (content !== null && content !== undefined && typeof content !== 'string') {
    return { finding: `choices[0].message.content is ${show(content)}, not a string` };
  }
  return { text: content ?? '', finish: choice?.finish_reason };
}

// -------------------------------------------------------------------------------------------------

export const coreChecks: Check[] = [
  {
    id: 'core.completion.schema',
    level: 'MUST',
    capability: 'core',
    title: 'The completion validates against the chat-completion schema',
    requirement: 'A non-streamed answer "must be a chat.completion object as the contract defines it".',
    fault: 'core.completion.schema-broken',
    request: CHAT,
    validate: [status(200), jsonBody, schema('chat-completion')],
  },
  {
    id: 'core.content-type-json',
    level: 'MUST',
    capability: 'core',
    title: 'A non-streamed answer is application/json',
    requirement: 'A non-streamed answer "must be sent with content-type application/json".',
    fault: 'wrong-content-type',
    request: CHAT,
    validate: [status(200), contentType('application/json')],
  },
  {
    id: 'core.object',
    level: 'MUST',
    capability: 'core',
    title: 'object is "chat.completion"',
    requirement: 'A non-streamed answer "must have object "chat.completion"".',
    fault: 'core.object-wrong',
    request: CHAT,
    validate: [
      status(200),
      jsonBody,
      (x) => {
        const object = body(x).object;
        if (object !== 'chat.completion') return `object is ${show(object)}, not "chat.completion"`;
      },
    ],
  },
  {
    id: 'core.id',
    level: 'MUST',
    capability: 'core',
    title: 'id is a non-empty string',
    requirement: 'A completion "must carry an id, a non-empty string".',
    fault: 'core.id-empty',
    request: CHAT,
    validate: [
      status(200),
      jsonBody,
      (x) => {
        const id = body(x).id;
        if (typeof id !== 'string' || id.trim() === '') return `id is ${show(id)}, not a non-empty string`;
      },
    ],
  },
  {
    id: 'core.created-seconds',
    level: 'MUST',
    capability: 'core',
    title: 'created is a plausible Unix time in seconds',
    requirement: 'created "must be the Unix timestamp (in seconds) of when the completion was created".',
    fault: 'core.created-ms',
    request: CHAT,
    validate: [
      status(200),
      jsonBody,
      (x, _ctx, out) => {
        const created = body(x).created;
        out.notes.created = created;
        const problem = createdProblem(created);
        if (problem) return `created is ${problem}`;
      },
    ],
  },
  {
    id: 'core.model.present',
    level: 'MUST',
    capability: 'core',
    title: 'model is a non-empty string',
    requirement: 'A completion "must name the model used, a non-empty string".',
    fault: 'core.model-missing',
    request: CHAT,
    validate: [
      status(200),
      jsonBody,
      (x) => {
        const model = body(x).model;
        if (typeof model !== 'string' || model.trim() === '') return `model is ${show(model)}, not a non-empty string`;
      },
    ],
  },
  {
    id: 'core.model.matches-request',
    level: 'SHOULD',
    capability: 'core',
    title: 'model equals (or starts with) the requested model',
    requirement: 'The model named in the answer "should be the requested model, or a dated snapshot of it (a name that starts with it)".',
    fault: 'core.model-other',
    request: CHAT,
    validate: [
      status(200),
      jsonBody,
      (x, ctx, out) => {
        const model = body(x).model;
        const requested = (x.request.body as Json | undefined)?.model ?? ctx.model;
        out.notes.requested = requested;
        out.notes.answered = model;
        if (typeof model !== 'string' || model === '') return { skip: `prerequisite failed: model is ${show(model)} (see core.model.present)` };
        if (model === requested || model.startsWith(String(requested))) return;
        return `model is ${show(model)}, which neither equals nor starts with the requested ${show(requested)} (a client cannot tell which model answered)`;
      },
    ],
  },
  {
    id: 'core.choices.non-empty',
    level: 'MUST',
    capability: 'core',
    title: 'choices is a non-empty array',
    requirement: 'A completion "must carry a non-empty choices array" (one choice unless n asks for more).',
    fault: 'core.choices-empty',
    request: CHAT,
    validate: [
      status(200),
      jsonBody,
      (x) => {
        const choices = body(x).choices;
        if (!Array.isArray(choices)) return `choices is ${show(choices)}, not an array`;
        if (choices.length === 0) return 'choices is an empty array';
      },
    ],
  },
  {
    id: 'core.choices.indexed',
    level: 'MUST',
    capability: 'core',
    title: 'choices are indexed 0, 1, … in order',
    requirement: 'choices[i].index "must be i": indexes start at 0 and are consecutive.',
    fault: 'core.choices-index-1',
    request: CHAT,
    validate: [
      status(200),
      jsonBody,
      (x) => {
        const choices = body(x).choices;
        if (!Array.isArray(choices) || choices.length === 0) return { skip: `prerequisite failed: choices is ${show(choices)} (see core.choices.non-empty)` };
        for (const [i, c] of choices.entries()) {
          if (!isObject(c)) return `choices[${i}] is ${show(c)}, not an object`;
          if (c.index !== i) return `choices[${i}].index is ${show(c.index)}, not ${i} (indexes must start at 0 and be consecutive)`;
        }
      },
    ],
  },
  {
    id: 'core.message.role-assistant',
    level: 'MUST',
    capability: 'core',
    title: 'message.role is "assistant"',
    requirement: 'Each choice\'s message "must have role assistant".',
    fault: 'core.message.role-wrong',
    request: CHAT,
    validate: [
      status(200),
      jsonBody,
      withChoice((choice) => {
        const role = choice.message?.role;
        if (role !== 'assistant') return `choices[0].message.role is ${show(role)}, not "assistant"`;
      }),
    ],
  },
  {
    id: 'core.message.content-string',
    level: 'MUST',
    capability: 'core',
    title: 'message.content is a string (null only beside tool_calls or a refusal)',
    requirement: 'message.content "must be a string; it may be null only when the message carries tool_calls or a refusal".',
    fault: 'core.content-null',
    request: CHAT,
    validate: [
      status(200),
      jsonBody,
      withChoice((choice, _x, out) => {
        const message = choice.message;
        if (!isObject(message)) return `choices[0].message is ${show(message)}, not an object`;
        const content = message.content;
        out.notes.content = content;
        if (typeof content === 'string') return;
        if (content === null || content === undefined) {
          const calls = Array.isArray(message.tool_calls) && message.tool_calls.length > 0;
          const refusal = typeof message.refusal === 'string' && message.refusal !== '';
          if (calls || refusal) return;
          return `choices[0].message.content is ${content === null ? 'null' : 'absent'} without tool_calls or a refusal (a plain answer must carry its text as a string)`;
        }
        return `choices[0].message.content is ${Array.isArray(content) ? 'an array' : typeof content} ${show(content)}, not a string`;
      }),
    ],
  },
  {
    id: 'core.finish-reason.enum',
    level: 'MUST',
    capability: 'core',
    title: 'finish_reason is one of the defined values',
    requirement: `finish_reason "must be one of ${FINISH_REASONS.join(', ')}".`,
    fault: 'core.finish-reason-eos',
    request: CHAT,
    validate: [
      status(200),
      jsonBody,
      withChoice((choice) => {
        const reason = choice.finish_reason;
        if (!FINISH_REASONS.includes(reason)) return `choices[0].finish_reason is ${show(reason)}, not one of ${FINISH_REASONS.join('|')}`;
      }),
    ],
  },
  {
    id: 'core.usage.present',
    level: 'SHOULD',
    capability: 'core',
    title: 'usage is reported',
    requirement: 'A non-streamed answer "should report usage (prompt_tokens, completion_tokens, total_tokens)"; clients bill and budget with it.',
    fault: 'core.usage-missing',
    request: CHAT,
    validate: [
      status(200),
      jsonBody,
      (x, _ctx, out) => {
        const u = body(x).usage;
        out.notes.usage = u;
        if (!isObject(u)) return `usage is ${show(u)}, not an object with prompt_tokens, completion_tokens and total_tokens`;
        const missing = ['prompt_tokens', 'completion_tokens', 'total_tokens'].filter((f) => !(f in u));
        if (missing.length > 0) return `usage lacks ${missing.join(', ')}: ${show(u)}`;
      },
    ],
  },
  {
    id: 'core.usage.arithmetic',
    level: 'MUST',
    capability: 'core',
    title: 'usage.total_tokens = prompt_tokens + completion_tokens',
    requirement: 'When usage is reported, "total_tokens must equal prompt_tokens + completion_tokens", each a non-negative integer.',
    fault: 'core.usage-wrong-total',
    request: CHAT,
    validate: [
      status(200),
      jsonBody,
      (x) => {
        const u = usage(x);
        if (!u) return { skip: `prerequisite failed: usage is ${show(body(x).usage)} (see core.usage.present)` };
        return usageArithmetic(u, 'usage');
      },
    ],
  },
  {
    id: 'core.messages.system',
    level: 'MUST',
    capability: 'core',
    title: 'A system message is accepted',
    requirement: 'A conversation that starts with a system message "must be accepted".',
    fault: 'core.reject-system',
    request: {
      body: {
        messages: [
          { role: 'system', content: 'You are a terse assistant.' },
          { role: 'user', content: 'Say hello in five words.' },
        ],
        max_tokens: 64,
      },
    },
    validate: [(x) => acceptedProblem(x, 'a conversation with a system message')],
  },
  {
    id: 'core.messages.developer',
    level: 'MUST',
    capability: 'core',
    title: 'A developer message is accepted (or refused cleanly)',
    requirement: 'A developer message (the newer name of the system role) "must be accepted"; a clean 4xx refusal holds only leniently.',
    fault: 'core.developer-crash',
    request: {
      body: {
        messages: [
          { role: 'developer', content: 'You are a terse assistant.' },
          { role: 'user', content: 'Say hello in five words.' },
        ],
        max_tokens: 64,
      },
    },
    validate: [
      (x) => {
        const e = isObject(x.json) && isObject((x.json as Json).error) ? (x.json as Json).error : undefined;
        if (x.status >= 400 && x.status < 500 && e && typeof e.message === 'string') {
          return { lenient: `the developer role was refused cleanly (HTTP ${x.status}: ${show(e.message, 160)}); clients that send it (the OpenAI SDKs do for o-series models) must map it to system themselves` };
        }
        return acceptedProblem(x, 'a conversation with a developer message');
      },
    ],
  },
  {
    id: 'core.messages.multi-turn',
    level: 'MUST',
    capability: 'core',
    title: 'A multi-turn history is accepted',
    requirement: 'A history of user, assistant and user messages "must be accepted".',
    fault: 'core.reject-history',
    request: {
      body: {
        messages: [
          { role: 'user', content: 'My name is Ada.' },
          { role: 'assistant', content: 'Nice to meet you, Ada.' },
          { role: 'user', content: 'What is my name?' },
        ],
        max_tokens: 64,
      },
    },
    validate: [(x) => acceptedProblem(x, 'a three-message history (user, assistant, user)')],
  },
  {
    id: 'core.params.temperature',
    level: 'MUST',
    capability: 'core',
    title: 'temperature 0 and 2 are accepted',
    requirement: 'temperature "must be accepted anywhere in its range 0 to 2", both ends included.',
    fault: 'core.reject-temperature-2',
    run: accepts([
      { what: 'temperature 0', body: chat(undefined, { temperature: 0 }) },
      { what: 'temperature 2', body: chat(undefined, { temperature: 2, max_tokens: 16 }) },
    ]),
  },
  {
    id: 'core.params.top-p',
    level: 'MUST',
    capability: 'core',
    title: 'top_p is accepted',
    requirement: 'top_p "must be accepted" (0.5 here).',
    fault: 'core.reject-top-p',
    run: accepts([{ what: 'top_p 0.5', body: chat(undefined, { top_p: 0.5 }) }]),
  },
  {
    id: 'core.params.seed',
    level: 'MUST',
    capability: 'core',
    title: 'seed is accepted',
    requirement: 'seed "must be accepted" (its determinism is judged by the seed capability).',
    fault: 'core.reject-seed',
    run: accepts([{ what: 'seed 1234', body: chat(undefined, { seed: 1234 }) }]),
  },
  {
    id: 'core.params.penalties',
    level: 'MUST',
    capability: 'core',
    title: 'frequency_penalty and presence_penalty are accepted',
    requirement: 'frequency_penalty and presence_penalty "must be accepted" in their range -2 to 2.',
    fault: 'core.reject-penalties',
    run: accepts([
      { what: 'frequency_penalty 0.5 with presence_penalty 0.5', body: chat(undefined, { frequency_penalty: 0.5, presence_penalty: 0.5 }) },
      { what: 'frequency_penalty -1 with presence_penalty -1', body: chat(undefined, { frequency_penalty: -1, presence_penalty: -1 }) },
    ]),
  },
  {
    id: 'core.params.user',
    level: 'MUST',
    capability: 'core',
    title: 'user is accepted',
    requirement: 'user (an end-user identifier) "must be accepted".',
    fault: 'core.reject-user',
    run: accepts([{ what: 'user "oai-compat-user-1"', body: chat(undefined, { user: 'oai-compat-user-1' }) }]),
  },
  {
    id: 'core.params.unknown-field',
    level: 'MUST',
    capability: 'core',
    title: 'An unknown extra request field is tolerated (or refused cleanly)',
    requirement:
      'A request with a field the server does not know "must be answered, or refused with a 400 error envelope that names the field"; answering is what compatible servers should do (new fields appear often and clients send them), so a clean refusal, as OpenAI itself gives, holds only leniently.',
    fault: 'core.unknown-field-422',
    request: { body: chat(undefined, { oai_compat_unknown_field: { probe: true } }) },
    validate: [
      (x, _ctx, out) => {
        const e = isObject(x.json) && isObject((x.json as Json).error) ? (x.json as Json).error : undefined;
        if (x.status >= 400 && x.status < 500 && e && typeof e.message === 'string') {
          out.notes.error = { status: x.status, message: e.message, param: e.param };
          const named = e.param === 'oai_compat_unknown_field' || e.message.includes('oai_compat_unknown_field');
          if (named) return { lenient: `the unknown field was refused cleanly (HTTP ${x.status}: ${show(e.message, 160)}), not ignored; clients must strip fields this server does not know` };
          return `the unknown field was refused with HTTP ${x.status}, and the error does not name it: ${show(e.message, 160)}`;
        }
        return acceptedProblem(x, 'a request with the extra field "oai_compat_unknown_field"');
      },
    ],
  },
  {
    id: 'core.max-tokens.length',
    level: 'MUST',
    capability: 'core',
    title: 'max_tokens 1 ends the answer with finish_reason "length"',
    requirement: 'An answer cut by max_tokens "must end with finish_reason "length"" and use no more completion tokens than allowed.',
    fault: 'core.max-tokens-ignored',
    request: { body: chat('Write a long story about a dragon.', { max_tokens: 1 }) },
    validate: [
      (x) => acceptedProblem(x, 'max_tokens 1'),
      withChoice((choice, x, out) => {
        const u = usage(x);
        out.notes.finish_reason = choice.finish_reason;
        out.notes.usage = u;
        if (choice.finish_reason !== 'length') return `with max_tokens 1, choices[0].finish_reason is ${show(choice.finish_reason)}, not "length"`;
        const n = u?.completion_tokens;
        if (Number.isInteger(n) && n > 1) {
          if (n === 2) return { lenient: `with max_tokens 1, usage.completion_tokens is 2 (a counted end-of-turn token?)` };
          return `with max_tokens 1, usage.completion_tokens is ${n}: the limit was not enforced`;
        }
      }),
    ],
  },
  {
    id: 'core.max-completion-tokens',
    level: 'SHOULD',
    capability: 'core',
    title: 'max_completion_tokens limits the answer (effect probe)',
    requirement: 'max_completion_tokens (the newer name of max_tokens) "should limit the completion: at most that many tokens, finish_reason "length"".',
    fault: 'core.max-completion-tokens-ignored',
    async run(ctx, out) {
      const limit = 1;
      const x = await ctx.send({ body: { messages: [{ role: 'user', content: 'Write a long story about a dragon.' }], max_completion_tokens: limit } });
      const problem = acceptedProblem(x, `max_completion_tokens ${limit}`);
      if (problem) return problem;
      const choice = firstChoice(x);
      const u = usage(x);
      const n = u?.completion_tokens;
      out.notes.finish_reason = choice?.finish_reason;
      out.notes.usage = u;
      const within = !Number.isInteger(n) || n <= limit + 1;
      if (choice?.finish_reason === 'length' && within) return;
      if (choice?.finish_reason === 'length') return `with max_completion_tokens ${limit}, finish_reason is "length" but usage.completion_tokens is ${n}`;
      return {
        ignored: `max_completion_tokens ${limit} was accepted without effect: finish_reason ${show(choice?.finish_reason)}${Number.isInteger(n) ? `, ${n} completion tokens` : ''}`,
      };
    },
  },
  {
    id: 'core.stop.string',
    level: 'MUST',
    capability: 'core',
    title: 'stop (a string) ends the answer before the stop text (effect probe)',
    requirement: 'With stop set to a string, generation "must end before that text": it is absent from the answer and finish_reason is "stop".',
    fault: 'core.stop-ignored',
    dependsOnModel: true,
    async run(ctx, out) {
      const base = await stopBaseline(ctx, out);
      if ('finding' in base) return base.finding;
      const word = stopWord(base.text);
      out.notes.stop = word;
      const x = await ctx.send({ body: { ...STOP_BASE.body, stop: word } }, { fresh: true });
      const got = stoppedText(x);
      if ('finding' in got) return got.finding;
      out.notes.stopped = got.text;
      if (got.text.includes(word)) return { ignored: `stop ${show(word)} was accepted without effect: the answer still contains it (${show(got.text, 160)})` };
      if (got.finish !== 'stop') return `the answer ended at the stop text, but finish_reason is ${show(got.finish)}, not "stop"`;
    },
  },
  {
    id: 'core.stop.array',
    level: 'MUST',
    capability: 'core',
    title: 'stop (an array of up to 4) ends the answer before any of them (effect probe)',
    requirement: 'With stop set to an array of up to 4 strings, generation "must end before the first of them that appears": none is in the answer.',
    fault: 'core.stop-array-first-only',
    dependsOnModel: true,
    async run(ctx, out) {
      const base = await stopBaseline(ctx, out);
      if ('finding' in base) return base.finding;
      // Up to 4 words, the one that appears last first: a server that honours only stop[0] shows the others.
      const words = candidateWords(base.text);
      const picked = words.length <= 4 ? words : [0.2, 0.45, 0.7, 0.95].map((f) => words[Math.min(words.length - 1, Math.floor(f * words.length))]);
      const stop = [...new Set(picked.sort((a, b) => b.at - a.at).map((w) => w.word))].slice(0, 4);
      out.notes.stop = stop;
      const x = await ctx.send({ body: { ...STOP_BASE.body, stop } }, { fresh: true });
      const got = stoppedText(x);
      if ('finding' in got) return got.finding;
      out.notes.stopped = got.text;
      const present = stop.filter((w) => got.text.includes(w));
      if (present.length === stop.length) return { ignored: `stop ${show(stop)} was accepted without effect: the answer contains every one (${show(got.text, 160)})` };
      if (present.length > 0) {
        const which = present.map((w) => `stop[${stop.indexOf(w)}] ${show(w)}`).join(', ');
        return `only part of the stop array was honoured: ${which} still appear${present.length === 1 ? 's' : ''} in the answer (${show(got.text, 160)})`;
      }
      if (got.finish !== 'stop') return `the answer ended at a stop text, but finish_reason is ${show(got.finish)}, not "stop"`;
    },
  },
];
