// The requests and tool definitions that several checks send. A check's own request stays beside it.
// Identical requests are sent once per run (suites/runner/context.ts), so checks that share one of
// these judge the same answer.
import type { RequestSpec } from '../types.ts';

type Json = Record<string, any>;

/** A short user conversation; protocol checks do not depend on what the model says. */
export function chat(text = 'Say hello in five words.', extra: Json = {}): Json {
  return { messages: [{ role: 'user', content: text }], max_tokens: 64, ...extra };
}

/** The plain request most core checks judge. */
export const CHAT: RequestSpec = { body: chat() };

/** The plain streamed request most streaming checks judge. */
export const STREAM: RequestSpec = { body: chat(undefined, { stream: true }) };

/** The answer the stop probes take their stop words from (core.stop.*, stream.stop-sequence). */
export const STOP_BASE: RequestSpec = { body: chat('List the seven days of the week in order, separated by commas. Nothing else.', { temperature: 0, max_tokens: 64 }) };

// -------------------------------------------------------------------------------------------------
// Tools. The parameters are strict-mode compatible (every property required, additionalProperties
// false) so the same definitions serve `strict: true`.

export const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the current weather in a city.',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string', description: 'The city name, e.g. Paris' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'], description: 'The temperature unit' },
      },
      required: ['city', 'unit'],
      additionalProperties: false,
    },
  },
};

export const TIME_TOOL = {
  type: 'function',
  function: {
    name: 'get_time',
    description: 'Get the current local time in a city.',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string', description: 'The city name, e.g. Tokyo' } },
      required: ['city'],
      additionalProperties: false,
    },
  },
};

export function withStrict(tool: Json): Json {
  return { ...tool, function: { ...tool.function, strict: true } };
}

/** A tool_choice naming a function. */
export function named(name: string): Json {
  return { type: 'function', function: { name } };
}

export const WEATHER_PROMPT = 'What is the weather in Paris right now? Answer in celsius.';
export const TWO_CITIES_PROMPT =
  'I need two things at once: the current weather in Paris and the current local time in Tokyo. Use the get_weather and get_time tools, both in this turn.';

/**
 * The named-tool request most tool checks judge: the question needs get_weather, the choice forces
 * get_time, so a server that treats a named choice as "auto" is caught whatever its model prefers.
 */
export const NAMED_TOOL = 'get_time';
export function namedToolBody(extra: Json = {}): Json {
  return { messages: [{ role: 'user', content: WEATHER_PROMPT }], tools: [WEATHER_TOOL, TIME_TOOL], tool_choice: named(NAMED_TOOL), max_tokens: 256, ...extra };
}

/**
 * The request the streamed tool-call protocol is judged on: one tool and tool_choice "required", so
 * the call is forced through the API without naming it (a server that ignores a named choice still
 * has its streaming protocol judged).
 */
export function requiredToolBody(extra: Json = {}): Json {
  return { messages: [{ role: 'user', content: WEATHER_PROMPT }], tools: [WEATHER_TOOL], tool_choice: 'required', max_tokens: 256, ...extra };
}

/** A request that needs two tools in one turn (parallel tool calls). */
export function parallelToolBody(extra: Json = {}): Json {
  return { messages: [{ role: 'user', content: TWO_CITIES_PROMPT }], tools: [WEATHER_TOOL, TIME_TOOL], tool_choice: 'required', max_tokens: 256, ...extra };
}

// -------------------------------------------------------------------------------------------------
// Images: 32×32 solid-colour PNGs as data URLs (some vision stacks refuse images under 28 pixels a
// side, Qwen-VL's patch factor).

export const RED_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAIAAAD8GO2jAAAAKklEQVR4nGO4IyJCU8QwasGoBaMWjFowasGoBaMWjFowasGoBaMWDBULAJ3LED3QqzauAAAAAElFTkSuQmCC';
export const BLUE_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAIAAAD8GO2jAAAAKklEQVR4nGMQ0bhDU8QwasGoBaMWjFowasGoBaMWjFowasGoBaMWDBULAHncYD0Ctx58AAAAAElFTkSuQmCC';

export function imagePart(url: string, detail?: 'low' | 'high' | 'auto'): Json {
  return { type: 'image_url', image_url: detail ? { url, detail } : { url } };
}
