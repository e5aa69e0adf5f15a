import type { Examples } from './types.ts';

export const examples: Examples = {
  valid: [
    { name: 'OpenAI', data: { id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' } },
    {
      name: 'vLLM',
      data: {
        id: 'Qwen/Qwen2.5-7B-Instruct',
        object: 'model',
        created: 1735000000,
        owned_by: 'vllm',
        root: 'Qwen/Qwen2.5-7B-Instruct',
        parent: null,
        max_model_len: 32768,
        permission: [{ id: 'modelperm-1', object: 'model_permission', created: 1735000000, allow_create_engine: false }],
      },
    },
    {
      name: 'llama.cpp',
      data: { id: 'qwen2.5-7b-instruct-q4_k_m.gguf', object: 'model', created: 1735000000, owned_by: 'llamacpp', meta: { vocab_type: 2, n_vocab: 152064, n_ctx_train: 32768 } },
    },
    { name: 'Ollama', data: { id: 'llama3.2:latest', object: 'model', created: 1730000000, owned_by: 'library' } },
    { name: 'LM Studio (no created)', data: { id: 'qwen2.5-7b-instruct', object: 'model', owned_by: 'organization_owner' } },
  ],
  invalid: [
    { why: 'id missing', data: { object: 'model', created: 1, owned_by: 'x' }, path: '/id', keyword: 'required' },
    { why: 'empty id', data: { id: '', object: 'model', created: 1, owned_by: 'x' }, path: '/id', keyword: 'minLength' },
    { why: 'wrong object', data: { id: 'm', object: 'engine', created: 1, owned_by: 'x' }, path: '/object', keyword: 'const', message: 'must be "model"' },
    { why: 'created in ISO form', data: { id: 'm', object: 'model', created: '2024-07-17T00:00:00Z', owned_by: 'x' }, path: '/created', keyword: 'type' },
    { why: 'owned_by as a number', data: { id: 'm', object: 'model', created: 1, owned_by: 42 }, path: '/owned_by', keyword: 'type' },
    { why: 'object missing', data: { id: 'm', created: 1 }, path: '/object', keyword: 'required' },
  ],
};
