// The end of `npm test`: which of the machine's tools the tests used, and which tests were skipped
// for want of one (Chromium for the report and browser-mock tests; Go, Java, Python, curl for the
// client conformance), as a warning, so that a green run on a bare machine is not taken for a full one.
import { CHROMIUM, chromiumMissing } from '../test-support/chromium.ts';
import { CLIENTS } from '../clients/registry.ts';

const missing: string[] = [];
if (chromiumMissing()) missing.push(`Chromium (${CHROMIUM} is absent; CHROMIUM_PATH names another): the report tests in a browser and the browser-mock test were skipped`);
for (const client of CLIENTS) {
  const why = client.unavailable();
  if (why) missing.push(`${client.language}: ${why} (the ${client.name} client's scenarios were skipped)`);
}
if (missing.length === 0) {
  console.log('npm test: every tool the tests use was present (Chromium, Go, Java 17+, Python 3, curl): nothing was skipped.');
} else {
  console.warn(`\nwarning: npm test skipped what needs a tool this machine lacks:\n${missing.map((m) => `  - ${m}`).join('\n')}\n(Debian: apt-get install chromium golang-go default-jdk-headless python3 curl; .ci/run installs them)\n`);
}
