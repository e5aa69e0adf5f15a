// Kept for suites/robustness.test.ts, which reads a stream through this name; checks use
// support/stream-view.ts.
export { streamView as assembleStreamExchange } from './support/stream-view.ts';
