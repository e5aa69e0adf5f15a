// Chat-template markup that must never reach an answer's text: end-of-turn and special tokens, and,
// when tools were declared, raw tool-call markup that the server did not parse into tool_calls
// (ollama/ollama#3759 and its like: clients show it to users, or miss the call).

/** End-of-turn and special tokens of the common chat templates (ChatML, Llama 3, Mistral, Phi, Gemma). */
export const END_TOKENS = ['<|im_end|>', '<|im_start|>', '<|eot_id|>', '<|end_of_text|>', '<|endoftext|>', '<|start_header_id|>', '</s>', '<|end|>', '<end_of_turn>'];

/** Tool-call markup of the common templates (Hermes/Qwen, Mistral, Llama 3.1, Functionary-style). */
export const CALL_MARKUP = ['<tool_call>', '</tool_call>', '[TOOL_CALLS]', '<function=', '<|python_tag|>', '<|tool_call_begin|>', '<|tool_calls_section_begin|>'];

/** The first of `markers` that `text` contains, or undefined. */
export function leakedMarkup(text: unknown, markers: string[]): string | undefined {
  return typeof text === 'string' ? markers.find((m) => text.includes(m)) : undefined;
}
