import type { Examples } from './types.ts';

export const examples: Examples = {
  valid: [
    {
      name: 'OpenAI',
      data: {
        object: 'list',
        data: [
          { id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' },
          { id: 'gpt-4.1', object: 'model', created: 1744316542, owned_by: 'system' },
        ],
      },
    },
    { name: 'empty list', data: { object: 'list', data: [] } },
    { name: 'vLLM', data: { object: 'list', data: [{ id: 'meta-llama/Llama-3.1-8B-Instruct', object: 'model', created: 1735000000, owned_by: 'vllm', root: 'meta-llama/Llama-3.1-8B-Instruct', parent: null, max_model_len: 8192 }] } },
    { name: 'llama.cpp (models extra)', data: { object: 'list', data: [{ id: 'model.gguf', object: 'model', created: 1735000000, owned_by: 'llamacpp' }], models: [{ name: 'model.gguf', model: 'model.gguf' }] } },
    { name: 'Ollama', data: { object: 'list', data: [{ id: 'llama3.2:latest', object: 'model', created: 1730000000, owned_by: 'library' }, { id: 'qwen3:8b', object: 'model', created: 1730000001, owned_by: 'library' }] } },
  ],
  invalid: [
    { why: 'a bare array', data: [{ id: 'm', object: 'model' }], path: '', keyword: 'type' },
    { why: 'data missing', data: { object: 'list' }, path: '/data', keyword: 'required' },
    { why: 'wrong object', data: { object: 'models', data: [] }, path: '/object', keyword: 'const', message: 'must be "list"' },
    { why: 'model names instead of model objects', data: { object: 'list', data: ['gpt-4o-mini'] }, path: '/data/0', keyword: 'type' },
    { why: 'entry without id', data: { object: 'list', data: [{ object: 'model', created: 1, owned_by: 'x' }] }, path: '/data/0/id', keyword: 'required' },
    { why: 'Ollama native /api/tags shape', data: { models: [{ name: 'llama3.2:latest' }] }, path: '/object', keyword: 'required' },
  ],
};
