import type { Examples } from './types.ts';

export const examples: Examples = {
  valid: [
    { name: 'text', data: { type: 'text', text: 'What is in this image?' } },
    { name: 'image URL with detail', data: { type: 'image_url', image_url: { url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg', detail: 'low' } } },
    { name: 'image data URL', data: { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==' } } },
    { name: 'input audio', data: { type: 'input_audio', input_audio: { data: 'UklGRiQAAABXQVZFZm10IBAAAAABAAEARKwAAIhYAQACABAAZGF0YQAAAAA=', format: 'wav' } } },
    { name: 'file by data', data: { type: 'file', file: { filename: 'report.pdf', file_data: 'data:application/pdf;base64,JVBERi0xLjQK' } } },
    { name: 'file by id', data: { type: 'file', file: { file_id: 'file-6F2ksmvXxt4VdoqmHRw6kL' } } },
    { name: 'refusal', data: { type: 'refusal', refusal: "I can't help with that." } },
  ],
  invalid: [
    { why: 'unknown part type', data: { type: 'video_url', video_url: { url: 'https://x/v.mp4' } }, path: '/type', keyword: 'enum', message: 'must be one of: text, image_url, input_audio, file, refusal' },
    { why: 'text missing', data: { type: 'text' }, path: '/text', keyword: 'required' },
    { why: 'image_url as a bare string (old Ollama style)', data: { type: 'image_url', image_url: 'https://x/cat.png' }, path: '/image_url', keyword: 'type', message: 'must be object' },
    { why: 'bad detail', data: { type: 'image_url', image_url: { url: 'https://x/cat.png', detail: 'ultra' } }, path: '/image_url/detail', keyword: 'enum', message: 'must be one of: auto, low, high' },
    { why: 'audio format not supported', data: { type: 'input_audio', input_audio: { data: 'AAAA', format: 'ogg' } }, path: '/input_audio/format', keyword: 'enum' },
    { why: 'type missing', data: { text: 'hello' }, path: '/type', keyword: 'required' },
    { why: 'a string instead of a part', data: 'hello', path: '', keyword: 'type', message: 'must be object' },
  ],
};
