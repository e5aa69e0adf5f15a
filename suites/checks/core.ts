import type { Check } from './types.ts';
import { chat, contentType, firstChoice, jsonBody, schema, status } from './validators.ts';

export const coreChecks: Check[] = [
  {
    id: 'core.completion.schema',
    level: 'MUST',
    capability: 'core',
    title: 'The completion validates against the chat-completion schema',
    requirement: 'A non-streamed answer "must be a chat.completion object as the contract defines it".',
    fault: 'core.completion.schema-broken',
    request: { body: chat() },
    validate: [status(200), jsonBody, schema('chat-completion')],
  },
  {
    id: 'core.content-type-json',
    level: 'MUST',
    capability: 'core',
    title: 'A non-streamed answer is application/json',
    requirement: 'A non-streamed answer "must be sent with content-type application/json".',
    fault: 'wrong-content-type',
    request: { body: chat() },
    validate: [status(200), contentType('application/json')],
  },
  {
    id: 'core.message.role-assistant',
    level: 'MUST',
    capability: 'core',
    title: 'message.role is "assistant"',
    requirement: 'Each choice\'s message "must have role assistant".',
    fault: 'core.message.role-wrong',
    request: { body: chat() },
    validate: [
      status(200),
      jsonBody,
      (x) => {
        const role = firstChoice(x)?.message?.role;
        if (role !== 'assistant') return `choices[0].message.role is ${JSON.stringify(role)}, not "assistant"`;
      },
    ],
  },
];
