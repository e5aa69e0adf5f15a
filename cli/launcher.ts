// Under npm (npx oai-compat ..., npm exec), the command runs in a shell that npm started: npm passes
// SIGINT and SIGTERM on to that shell, and the shell dies without passing them to us, which left a
// mock server serving after its npx was killed. So, when npm started us, we stop (as on SIGTERM)
// once the shell between npm and us is gone.
export function stopWithLauncher(): void {
  if (!process.env.npm_command) return;
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
  }, 200).unref();
}
