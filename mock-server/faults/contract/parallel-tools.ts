// Faults for suites/checks/parallel-tools.ts: several calls cut to one, sharing an id or an index,
// broken arguments of the second call, several results refused, parallel_tool_calls ignored.
import { byCallIndex, deltasIn, fragments, isObject, onCalls, onChunks, refuseWhen, rewriteArguments, toolsOf, without, type ContractFault, type Json } from './helpers.ts';

export const parallelToolsFaults: ContractFault[] = [
  {
    id: 'parallel.single-call',
    description: 'Only the first of several tool calls comes back (stream and non-stream).',
    completion: (c) => onCalls(c, (n) => n > 1, (calls, message) => (message.tool_calls = calls.slice(0, 1))),
    events: (events) =>
      onChunks(events, (chunks) => {
        for (const delta of deltasIn(chunks)) if (Array.isArray(delta.tool_calls)) delta.tool_calls = delta.tool_calls.filter((f: Json) => (f?.index ?? 0) === 0);
      }),
  },
  {
    id: 'parallel.second-args-broken',
    description: 'With several tool calls, the second call\'s arguments lose their closing brace (non-stream).',
    completion: (c) =>
      onCalls(c, (n) => n > 1, (calls) => {
        const args = calls[1].function?.arguments;
        if (typeof args === 'string' && args.length > 0) calls[1].function.arguments = args.slice(0, -1);
      }),
  },
  {
    id: 'parallel.stream-same-index',
    description: 'Several streamed tool calls all use index 0.',
    events: (events) =>
      onChunks(events, (chunks) => {
        const refs = fragments(chunks);
        if (byCallIndex(refs).size < 2) return;
        for (const ref of refs) ref.fragment.index = 0;
      }),
  },
  {
    id: 'parallel.stream-args-broken',
    description: 'With several streamed tool calls, the fragments of index 1 concatenate to invalid JSON (closing brace lost).',
    events: (events) =>
      onChunks(events, (chunks) => {
        const groups = byCallIndex(fragments(chunks));
        const second = groups.get(1);
        if (groups.size < 2 || !second) return;
        rewriteArguments(second, (args) => (args.length > 0 ? args.slice(0, -1) : args));
      }),
  },
  {
    id: 'parallel.reject-several-results',
    description: 'A conversation with more than one tool message (several tool results) is refused with a 400.',
    validate: refuseWhen(
      (req) => Array.isArray(req.messages) && req.messages.filter((m: unknown) => isObject(m) && m.role === 'tool').length > 1,
      "Invalid value for 'messages': only one tool result per turn is supported.",
      'messages',
    ),
  },
  {
    id: 'parallel.flag-ignored',
    description: 'parallel_tool_calls is dropped from the request: false still gives several calls.',
    request: (req) => (req.parallel_tool_calls !== false || toolsOf(req).length === 0 ? req : without(req, 'parallel_tool_calls')),
  },
  {
    id: 'tools.duplicate-ids',
    description: 'Several tool calls in one message share the first call\'s id (stream and non-stream).',
    completion: (c) =>
      onCalls(c, (n) => n > 1, (calls) => {
        for (const call of calls) call.id = calls[0].id;
      }),
    events: (events) =>
      onChunks(events, (chunks) => {
        const groups = byCallIndex(fragments(chunks));
        if (groups.size < 2) return;
        const first = [...groups.values()][0][0].fragment.id;
        for (const refs of groups.values()) for (const ref of refs) if (typeof ref.fragment.id === 'string') ref.fragment.id = first;
      }),
  },
];
