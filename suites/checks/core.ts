// core: the non-streamed chat completion — its shape field by field, the messages and parameters
// every OpenAI-compatible server accepts, and the parameters whose effect can be forced and observed
// (max_tokens, max_completion_tokens, stop).
import { isObject } from '../../lib/json.ts';
import { bodyOf, firstChoice, usageOf } from './support/completion.ts';
import { given, httpOk, jsonAnswer, prerequisite, sendAccepted, unanswered, type Skip } from './support/gates.ts';
import { CHAT_OBJECT, messageField, openapi, param, schema as contract } from './support/refs.ts';
import { CHAT, chat } from './support/requests.ts';
import { oneStopWord, stopProbe, stopWords } from './support/stop-probe.ts';
import { show } from './support/text.ts';
import { FINISH_REASONS, contentType, createdProblem, schema, usageArithmetic } from './support/validators.ts';
import { END_TOKENS, leakedMarkup } from './support/markup.ts';
import { checksOf, type CheckContext, type CheckDeclaration, type Exchange, type Finding, type Level, type Validator, type ValidatorOutput } from './types.ts';

type Json = Record<string, any>;

/** choices[0], or a SKIP (core.choices.non-empty reports it). */
function choice0(x: Exchange): Json | Skip {
  const choice = firstChoice(x);
  return isObject(choice) ? choice : prerequisite(`choices[0] is ${show(choice)}, so there is nothing to judge`, 'core.choices.non-empty');
}

/** A top-level field of the completion judged by `problem` (given its value). */
function field(name: string, problem: (value: any) => string | undefined): Validator[] {
  return jsonAnswer((x) => problem(bodyOf(x)[name]));
}

const nonEmptyString = (name: string) => (v: unknown) => (typeof v !== 'string' || v.trim() === '' ? `${name} is ${show(v)}, not a non-empty string` : undefined);

/**
 * An answer, or a clean 4xx refusal (status, the error envelope with a message) that holds only
 * leniently: `lenient` says why, given the refusal; it may turn the refusal into a problem instead.
 */
function answeredOrRefusedCleanly(what: string, lenient: (e: Json, x: Exchange, out: ValidatorOutput) => Finding | undefined): Validator {
  return (x, _ctx, out) => {
    const e = bodyOf(x).error;
    if (x.status >= 400 && x.status < 500 && isObject(e) && typeof e.message === 'string') return lenient(e, x, out);
    return unanswered(x, what);
  };
}

/** Every request must be accepted (200, a completion); one scripted check per parameter family. */
function accepts(probes: Record<string, Json>): (ctx: CheckContext, out: ValidatorOutput) => Promise<Finding | undefined> {
  return async (ctx, out) => {
    const accepted: string[] = [];
    for (const [what, extra] of Object.entries(probes)) {
      const problem = unanswered(await ctx.send({ body: chat(undefined, extra) }), what);
      if (problem) return accepted.length > 0 ? `${problem} (accepted before it: ${accepted.join('; ')})` : problem;
      accepted.push(what);
    }
    out.notes.accepted = accepted;
  };
}

// The conversations a server must take, one judge for all: each row sends one or more conversations.
interface MessageRow {
  id: string;
  level?: Level;
  fault: string;
  title: string;
  requirement: string;
  /** what was sent (for the finding) and the messages, one conversation or several */
  sent: [what: string, messages: Json[]][];
  /** a clean 4xx refusal holds leniently, saying this */
  refusedCleanly?: (status: number, message: string) => string;
}

const HELLO = { role: 'user', content: 'Say hello in five words.' };
const TERSE = 'You are a terse assistant.';
const SYSTEM_NOTE = 'Answer in French, with a single word.';
const ADA = [{ role: 'user', content: 'My name is Ada.' }, { role: 'assistant', content: 'Nice to meet you, Ada.' }];
const NAME = { role: 'user', content: 'What is my name?' };
const text = (t: string) => [{ type: 'text', text: t }];
const SUM = { role: 'user', content: 'What is 2 + 2?' };
const NEXT_SUM = { role: 'user', content: 'And 3 + 3?' };
const MESSAGES: MessageRow[] = [
  { id: 'core.messages.system', fault: 'core.reject-system', title: 'A system message is accepted',
    requirement: 'A conversation that starts with a system message "must be accepted".', sent: [['a conversation with a system message', [{ role: 'system', content: TERSE }, HELLO]]] },
  { id: 'core.messages.developer', fault: 'core.developer-crash', title: 'A developer message is accepted (a clean refusal is a warning)',
    requirement: 'A developer message (the newer name of the system role) "must be accepted"; a clean 4xx refusal is what users report as breaking them, so it is a WARN.',
    sent: [['a conversation with a developer message', [{ role: 'developer', content: TERSE }, HELLO]]],
    refusedCleanly: (status, message) => `the developer role was refused cleanly (HTTP ${status}: ${show(message, 160)}); clients that send it (the OpenAI SDKs do for o-series models) break unless they map it to system themselves` },
  { id: 'core.messages.multi-turn', fault: 'core.reject-history', title: 'A multi-turn history is accepted',
    requirement: 'A history of user, assistant and user messages "must be accepted".', sent: [['a three-message history (user, assistant, user)', [...ADA, NAME]]] },
  { id: 'core.messages.content-parts', fault: 'core.reject-content-parts', title: 'Text content parts are accepted in system and assistant messages',
    requirement: 'A system message or an assistant turn whose content is an array of text parts ([{"type":"text","text":…}]) "must be accepted", as in user messages (mudler/LocalAI#10552).',
    sent: [['a system message given as text parts', [{ role: 'system', content: text(TERSE) }, HELLO]], ['an assistant turn given as text parts', [ADA[0], { role: 'assistant', content: text('Nice to meet you, Ada.') }, NAME]]] },
  { id: 'core.messages.order', level: 'SHOULD', fault: 'core.reject-odd-order', title: 'Message orders that chat templates reject are accepted',
    requirement: 'Two system messages, a system message after the first turn, and two user turns in a row "should be accepted" (vllm-project/vllm#41114): clients build such histories.',
    sent: [
      ['two system messages', [{ role: 'system', content: TERSE }, { role: 'system', content: 'Answer in English.' }, HELLO]],
      ['a system message after the first turn', [...ADA, { role: 'system', content: 'Answer in one word.' }, NAME]],
      ['two user turns in a row', [ADA[0], NAME]],
    ] },
  { id: 'core.messages.reasoning-in-history', fault: 'core.reject-reasoning-history', title: 'An assistant turn carrying its reasoning is accepted',
    requirement: 'A history whose assistant turn carries reasoning_content, or reasoning, "must be accepted" (vllm-project/vllm#42664): clients send back what reasoning models answered.',
    sent: [
      ['an assistant turn with reasoning_content', [SUM, { role: 'assistant', content: '4', reasoning_content: 'Two plus two is four.' }, NEXT_SUM]],
      ['an assistant turn with reasoning', [SUM, { role: 'assistant', content: '4', reasoning: 'Two plus two is four.' }, NEXT_SUM]],
    ] },
];

function messageCheck({ sent, refusedCleanly, level = 'MUST', ...row }: MessageRow): CheckDeclaration {
  const judge = (what: string): Validator =>
    refusedCleanly ? answeredOrRefusedCleanly(what, (e, x) => ({ warn: refusedCleanly(x.status, e.message) })) : (x: Exchange) => unanswered(x, what);
  const request = (messages: Json[]) => ({ body: { messages, max_tokens: 64 } });
  const base = { ...row, level, ref: param('messages') };
  if (sent.length === 1) return { ...base, request: request(sent[0][1]), validate: [judge(sent[0][0])] };
  return {
    ...base,
    async run(ctx, out) {
      for (const [what, messages] of sent) {
        const finding = judge(what)(await ctx.send(request(messages)), ctx, out);
        if (finding) return finding;
      }
    },
  };
}

// The sampling parameters every server must accept, each family one scripted check.
interface ParameterRow {
  id: string;
  fault: string;
  /** the request parameter, for the ref */
  param: string;
  title: string;
  requirement: string;
  /** what is sent (for the finding) → the parameters added to the plain request */
  probes: Record<string, Json>;
}

const PARAMETERS: ParameterRow[] = [
  { id: 'core.params.temperature', fault: 'core.reject-temperature-2', param: 'temperature', title: 'temperature 0 and 2 are accepted',
    requirement: 'temperature "must be accepted anywhere in its range 0 to 2", both ends included.', probes: { 'temperature 0': { temperature: 0 }, 'temperature 2': { temperature: 2, max_tokens: 16 } } },
  { id: 'core.params.top-p', fault: 'core.reject-top-p', param: 'top_p', title: 'top_p is accepted', requirement: 'top_p "must be accepted" (0.5 here).', probes: { 'top_p 0.5': { top_p: 0.5 } } },
  { id: 'core.params.seed', fault: 'core.reject-seed', param: 'seed', title: 'seed is accepted', requirement: 'seed "must be accepted" (its determinism is judged by the seed capability).', probes: { 'seed 1234': { seed: 1234 } } },
  { id: 'core.params.penalties', fault: 'core.reject-penalties', param: 'frequency_penalty', title: 'frequency_penalty and presence_penalty are accepted',
    requirement: 'frequency_penalty and presence_penalty "must be accepted" in their range -2 to 2.',
    probes: { 'frequency_penalty 0.5 with presence_penalty 0.5': { frequency_penalty: 0.5, presence_penalty: 0.5 }, 'frequency_penalty -1 with presence_penalty -1': { frequency_penalty: -1, presence_penalty: -1 } } },
  { id: 'core.params.user', fault: 'core.reject-user', param: 'user', title: 'user is accepted', requirement: 'user (an end-user identifier) "must be accepted".', probes: { 'user "oai-compat-user-1"': { user: 'oai-compat-user-1' } } },
];

const usage = (x: Exchange) => usageOf(x) ?? prerequisite(`usage is ${show(bodyOf(x).usage)}`, 'core.usage.present');

export const coreChecks = checksOf('core', [
  { id: 'core.completion.schema', level: 'MUST', fault: 'core.completion.schema-broken', ref: contract('chat-completion'),
    title: 'The completion validates against the chat-completion schema', requirement: 'A non-streamed answer "must be a chat.completion object as the contract defines it".',
    request: CHAT, validate: jsonAnswer(schema('chat-completion')),
  },
  { id: 'core.content-type-json', level: 'MUST', fault: 'wrong-content-type', ref: openapi('/paths/~1chat~1completions/post/responses/200/content/application~1json'),
    title: 'A non-streamed answer is application/json', requirement: 'A non-streamed answer "must be sent with content-type application/json".',
    request: CHAT, validate: [httpOk, contentType('application/json')],
  },
  { id: 'core.object', level: 'MUST', fault: 'core.object-wrong', ref: contract('chat-completion', '/properties/object'),
    title: 'object is "chat.completion"', requirement: 'A non-streamed answer "must have object "chat.completion"".',
    request: CHAT, validate: field('object', (v) => (v !== 'chat.completion' ? `object is ${show(v)}, not "chat.completion"` : undefined)),
  },
  { id: 'core.id', level: 'MUST', fault: 'core.id-empty', ref: contract('chat-completion', '/properties/id'),
    title: 'id is a non-empty string', requirement: 'A completion "must carry an id, a non-empty string".',
    request: CHAT, validate: field('id', nonEmptyString('id')),
  },
  { id: 'core.created-seconds', level: 'MUST', fault: 'core.created-ms', ref: contract('chat-completion', '/properties/created'),
    title: 'created is a plausible Unix time in seconds', requirement: 'created "must be the Unix timestamp (in seconds) of when the completion was created".',
    request: CHAT, validate: jsonAnswer((x, _ctx, out) => {
      out.notes.created = bodyOf(x).created;
      const problem = createdProblem(bodyOf(x).created, x.headers.date);
      if (problem) return `created is ${problem}`;
    }),
  },
  { id: 'core.model.present', level: 'MUST', fault: 'core.model-missing', ref: contract('chat-completion', '/properties/model'),
    title: 'model is a non-empty string', requirement: 'A completion "must name the model used, a non-empty string".',
    request: CHAT, validate: field('model', nonEmptyString('model')),
  },
  { id: 'core.model.matches-request', level: 'SHOULD', fault: 'core.model-other', ref: CHAT_OBJECT,
    title: 'model equals (or starts with) the requested model', requirement: 'The model named in the answer "should be the requested model, or a dated snapshot of it (a name that starts with it)".',
    request: CHAT, validate: jsonAnswer((x, ctx, out) => {
      const model = bodyOf(x).model;
      const requested = (x.request.body as Json | undefined)?.model ?? ctx.model;
      out.notes.requested = requested;
      out.notes.answered = model;
      if (typeof model !== 'string' || model === '') return prerequisite(`model is ${show(model)}`, 'core.model.present');
      if (model === requested || model.startsWith(String(requested))) return;
      return `model is ${show(model)}, which neither equals nor starts with the requested ${show(requested)} (a client cannot tell which model answered)`;
    }),
  },
  { id: 'core.choices.non-empty', level: 'MUST', fault: 'core.choices-empty', ref: contract('chat-completion', '/properties/choices'),
    title: 'choices is a non-empty array', requirement: 'A completion "must carry a non-empty choices array" (one choice unless n asks for more).',
    request: CHAT, validate: field('choices', (v) => (!Array.isArray(v) ? `choices is ${show(v)}, not an array` : v.length === 0 ? 'choices is an empty array' : undefined)),
  },
  { id: 'core.choices.indexed', level: 'MUST', fault: 'core.choices-index-1', ref: contract('chat-completion', '/definitions/ChatCompletionChoice/properties/index'),
    title: 'choices are indexed 0, 1, … in order', requirement: 'choices[i].index "must be i": indexes start at 0 and are consecutive.',
    request: CHAT, validate: jsonAnswer((x) => {
      const choices = bodyOf(x).choices;
      if (!Array.isArray(choices) || choices.length === 0) return prerequisite(`choices is ${show(choices)}`, 'core.choices.non-empty');
      for (const [i, c] of choices.entries()) {
        if (!isObject(c)) return `choices[${i}] is ${show(c)}, not an object`;
        if (c.index !== i) return `choices[${i}].index is ${show(c.index)}, not ${i} (indexes must start at 0 and be consecutive)`;
      }
    }),
  },
  { id: 'core.message.role-assistant', level: 'MUST', fault: 'core.message.role-wrong', ref: messageField('role'),
    title: 'message.role is "assistant"', requirement: 'Each choice\'s message "must have role assistant".',
    request: CHAT, validate: jsonAnswer(given(choice0, (c) => (c.message?.role !== 'assistant' ? `choices[0].message.role is ${show(c.message?.role)}, not "assistant"` : undefined))),
  },
  { id: 'core.message.content-string', level: 'MUST', fault: 'core.content-null', ref: messageField('content'),
    title: 'message.content is a string (null only beside tool_calls or a refusal)', requirement: 'message.content "must be a string; it may be null only when the message carries tool_calls or a refusal".',
    request: CHAT, validate: jsonAnswer(given(choice0, ({ message }, _x, out) => {
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
    })),
  },
  { id: 'core.finish-reason.enum', level: 'MUST', fault: 'core.finish-reason-eos', ref: contract('chat-completion', '/definitions/ChatCompletionChoice/properties/finish_reason'),
    title: 'finish_reason is one of the defined values', requirement: `finish_reason "must be one of ${FINISH_REASONS.join(', ')}".`,
    request: CHAT, validate: jsonAnswer(given(choice0, (c) => (FINISH_REASONS.includes(c.finish_reason) ? undefined : `choices[0].finish_reason is ${show(c.finish_reason)}, not one of ${FINISH_REASONS.join('|')}`))),
  },
  { id: 'core.usage.present', level: 'SHOULD', fault: 'core.usage-missing', ref: contract('chat-completion', '/properties/usage'),
    title: 'usage is reported', requirement: 'A non-streamed answer "should report usage (prompt_tokens, completion_tokens, total_tokens)"; clients bill and budget with it.',
    request: CHAT, validate: jsonAnswer((x, _ctx, out) => {
      const u = bodyOf(x).usage;
      out.notes.usage = u;
      if (!isObject(u)) return `usage is ${show(u)}, not an object with prompt_tokens, completion_tokens and total_tokens`;
      const missing = ['prompt_tokens', 'completion_tokens', 'total_tokens'].filter((f) => !(f in u));
      if (missing.length > 0) return `usage lacks ${missing.join(', ')}: ${show(u)}`;
    }),
  },
  { id: 'core.usage.arithmetic', level: 'MUST', fault: 'core.usage-wrong-total', ref: contract('usage', '/properties/total_tokens'),
    title: 'usage.total_tokens = prompt_tokens + completion_tokens', requirement: 'When usage is reported, "total_tokens must equal prompt_tokens + completion_tokens", each a non-negative integer.',
    request: CHAT, validate: jsonAnswer(given(usage, (u) => usageArithmetic(u, 'usage'))),
  },
  { id: 'core.usage.details', level: 'SHOULD', fault: 'core.usage-details-wrong', ref: contract('usage', '/properties/prompt_tokens_details'),
    title: 'usage details are integers no larger than the counts they break down', requirement: 'When usage carries prompt_tokens_details or completion_tokens_details, their counts (cached_tokens, reasoning_tokens, …) "should be non-negative integers no larger than prompt_tokens or completion_tokens".',
    request: CHAT, validate: jsonAnswer(given(usage, (u, _x, out) => {
      out.notes.usage = u;
      for (const [details, total] of [['prompt_tokens_details', 'prompt_tokens'], ['completion_tokens_details', 'completion_tokens']]) {
        if (u[details] === undefined || u[details] === null) continue;
        if (!isObject(u[details])) return `usage.${details} is ${show(u[details])}, not an object`;
        for (const [k, v] of Object.entries(u[details])) {
          if (v === null) continue;
          if (!Number.isInteger(v) || (v as number) < 0) return `usage.${details}.${k} is ${show(v)}, not a non-negative integer`;
          if (Number.isInteger(u[total]) && (v as number) > u[total]) return `usage.${details}.${k} is ${v}, more than usage.${total} (${u[total]}) that it breaks down`;
        }
      }
    })),
  },
  { id: 'core.content.no-template-tokens', level: 'MUST', fault: 'core.leak-end-token', ref: messageField('content'),
    title: 'No end-of-turn or special token in the answer text', requirement: 'message.content "must not carry chat-template tokens" (<|im_end|>, <|eot_id|>, </s>, <|end|>, …): the server strips them (ollama/ollama#3759); clients show them to users.',
    request: CHAT, validate: jsonAnswer(given(choice0, (c) => {
      const leaked = leakedMarkup(c.message?.content, END_TOKENS);
      if (leaked) return `choices[0].message.content carries the template token ${show(leaked)}: ${show(c.message.content, 160)}`;
    })),
  },
  ...MESSAGES.map(messageCheck),
  { id: 'core.messages.system-parts-obeyed', level: 'SHOULD', fault: 'core.drop-system-parts', ref: param('messages'),
    title: 'Effect probe: a system message given as text parts takes effect', requirement: 'A system message whose content is an array of text parts "should take effect as the same text given as a string does", not be dropped (an effect probe at temperature 0: with the parts the answer must differ from the answer without any system message).',
    async run(ctx, out) {
      const ask = (system?: unknown) => ({ body: { messages: [...(system ? [{ role: 'system', content: system }] : []), { role: 'user', content: 'Name one colour.' }], temperature: 0, max_tokens: 32 } });
      const answers: string[] = [];
      for (const [what, system] of [['without a system message', undefined], ['with a system message as a string', SYSTEM_NOTE], ['with the same system message as text parts', text(SYSTEM_NOTE)]] as const) {
        const got = await sendAccepted(ctx, ask(system), 'core');
        if ('finding' in got) return got.finding;
        answers.push(String(firstChoice(got.x)?.message?.content ?? ''));
        out.notes[what] = answers.at(-1);
      }
      const [none, asString, asParts] = answers;
      if (asString === none) return { skip: 'a system message given as a string does not change the answer either (temperature 0), so the effect of text parts cannot be told' };
      if (asParts === none) return { ignored: 'a system message given as text parts had no effect: the answer equals the one without a system message, while the same text as a string changes it (the parts were dropped)' };
    },
  },
  ...PARAMETERS.map(({ id, fault, param: name, title, requirement, probes }): CheckDeclaration => ({ id, level: 'MUST', fault, ref: param(name), title, requirement, run: accepts(probes) })),
  { id: 'core.params.reasoning-effort', level: 'SHOULD', fault: 'core.reasoning-effort-500', ref: param('reasoning_effort'),
    title: 'reasoning_effort is accepted or refused cleanly', requirement: 'reasoning_effort "should be accepted (and ignored by a model that does not reason), or refused with a clean 4xx"; a server error breaks clients that set it for every model (marimo-team/marimo#7007).',
    request: { body: chat(undefined, { reasoning_effort: 'low' }) }, validate: [answeredOrRefusedCleanly('a request with reasoning_effort "low"', () => undefined)],
  },
  { id: 'core.params.unknown-field', level: 'MUST', fault: 'core.unknown-field-422', ref: contract('chat-completion-request'),
    title: 'An unknown extra request field is tolerated (or refused cleanly)', requirement: 'A request with a field the server does not know "must be answered, or refused with a 400 error envelope that names the field"; answering is what compatible servers should do (new fields appear often and clients send them), so a clean refusal, as OpenAI itself gives, holds only leniently.',
    request: { body: chat(undefined, { oai_compat_unknown_field: { probe: true } }) }, validate: [
      answeredOrRefusedCleanly('a request with the extra field "oai_compat_unknown_field"', (e, x, out) => {
        out.notes.error = { status: x.status, message: e.message, param: e.param };
        const named = e.param === 'oai_compat_unknown_field' || e.message.includes('oai_compat_unknown_field');
        if (named) return { lenient: `the unknown field was refused cleanly (HTTP ${x.status}: ${show(e.message, 160)}), not ignored; clients must strip fields this server does not know` };
        return `the unknown field was refused with HTTP ${x.status}, and the error does not name it: ${show(e.message, 160)}`;
      }),
    ],
  },
  { id: 'core.max-tokens.length', level: 'MUST', fault: 'core.max-tokens-ignored', ref: param('max_tokens'),
    title: 'max_tokens 1 ends the answer with finish_reason "length"', requirement: 'An answer cut by max_tokens "must end with finish_reason "length"" and use no more completion tokens than allowed.',
    request: { body: chat('Write a long story about a dragon.', { max_tokens: 1 }) }, validate: [
      (x) => unanswered(x, 'max_tokens 1'),
      given(choice0, (choice, x, out) => {
        const n = usageOf(x)?.completion_tokens;
        out.notes.finish_reason = choice.finish_reason;
        out.notes.usage = usageOf(x);
        if (choice.finish_reason !== 'length') return `with max_tokens 1, choices[0].finish_reason is ${show(choice.finish_reason)}, not "length"`;
        if (Number.isInteger(n) && n > 1) {
          if (n === 2) return { lenient: `with max_tokens 1, usage.completion_tokens is 2 (a counted end-of-turn token?)` };
          return `with max_tokens 1, usage.completion_tokens is ${n}: the limit was not enforced`;
        }
      }),
    ],
  },
  { id: 'core.max-completion-tokens', level: 'SHOULD', fault: 'core.max-completion-tokens-ignored', ref: param('max_completion_tokens'),
    title: 'max_completion_tokens limits the answer (effect probe)', requirement: 'max_completion_tokens (the newer name of max_tokens) "should limit the completion: at most that many tokens, finish_reason "length"".',
    async run(ctx, out) {
      const x = await ctx.send({ body: { messages: [{ role: 'user', content: 'Write a long story about a dragon.' }], max_completion_tokens: 1 } });
      const problem = unanswered(x, 'max_completion_tokens 1');
      if (problem) return problem;
      const finish = firstChoice(x)?.finish_reason;
      const n = usageOf(x)?.completion_tokens;
      out.notes.finish_reason = finish;
      out.notes.usage = usageOf(x);
      if (finish === 'length' && (!Number.isInteger(n) || n <= 2)) return;
      if (finish === 'length') return `with max_completion_tokens 1, finish_reason is "length" but usage.completion_tokens is ${n}`;
      return { ignored: `max_completion_tokens 1 was accepted without effect: finish_reason ${show(finish)}${Number.isInteger(n) ? `, ${n} completion tokens` : ''}` };
    },
  },
  { id: 'core.stop.string', level: 'MUST', fault: 'core.stop-ignored', ref: param('stop'), dependsOnModel: true,
    title: 'stop (a string) ends the answer before the stop text (effect probe)', requirement: 'With stop set to a string, generation "must end before that text": it is absent from the answer and finish_reason is "stop".',
    async run(ctx, out) {
      const got = await stopProbe(ctx, out, oneStopWord);
      if ('finding' in got) return got.finding;
      if (got.text.includes(got.stop)) return { ignored: `stop ${show(got.stop)} was accepted without effect: the answer still contains it (${show(got.text, 160)})` };
      if (got.finish !== 'stop') return `the answer ended at the stop text, but finish_reason is ${show(got.finish)}, not "stop"`;
    },
  },
  { id: 'core.stop.array', level: 'MUST', fault: 'core.stop-array-first-only', ref: param('stop'), dependsOnModel: true,
    title: 'stop (an array of up to 4) ends the answer before any of them (effect probe)', requirement: 'With stop set to an array of up to 4 strings, generation "must end before the first of them that appears": none is in the answer.',
    async run(ctx, out) {
      const got = await stopProbe(ctx, out, stopWords);
      if ('finding' in got) return got.finding;
      const { stop, text } = got;
      const present = stop.filter((w) => text.includes(w));
      if (present.length === stop.length) return { ignored: `stop ${show(stop)} was accepted without effect: the answer contains every one (${show(text, 160)})` };
      if (present.length > 0) {
        const which = present.map((w) => `stop[${stop.indexOf(w)}] ${show(w)}`).join(', ');
        return `only part of the stop array was honoured: ${which} still appear${present.length === 1 ? 's' : ''} in the answer (${show(text, 160)})`;
      }
      if (got.finish !== 'stop') return `the answer ended at a stop text, but finish_reason is ${show(got.finish)}, not "stop"`;
    },
  },
]);
