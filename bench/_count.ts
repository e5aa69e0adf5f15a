import { spawnSync } from 'node:child_process';
import { startMockServer } from '/work/main/mock-server/standalone.ts';
const KEY='sk-oai-compat-bench-0000000000000000';
const s = await startMockServer({ port: 0, speed: 1, requireKey: KEY, quiet: true, journalLimit: 100000 });
const t0 = performance.now();
const r = spawnSync('npx', ['playwright','test','--reporter=dot'], { cwd: '/work/main', env: { ...process.env, BASE_URL: s.url + '/v1', API_KEY: KEY, OAI_COMPAT_MOCK: '1', REPORT_DIR: '/tmp/rep2', OAI_COMPAT_EXTRA_HEADERS: JSON.stringify({'x-mock-session':'b'}) }, encoding: 'utf8' });
console.log('suite ms', performance.now()-t0, r.status);
const j = await (await fetch(s.url + '/__mock/journal?session=*')).json() as any;
console.log(j.sessions);
for (const id of j.sessions) { const e = await (await fetch(s.url + '/__mock/journal?session=' + encodeURIComponent(id))).json() as any; console.log(id, e.entries.length); }
await s.close();
