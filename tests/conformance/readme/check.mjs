// Runs the shell examples of README.md's "REST API" section as written, against a fresh bench in
// a temporary folder, and checks each command's output against the `# ...` line under it
// ("…" stands for any text). Only the port (8000 → a free one) and `./bench` (→ this tree's
// wrapper) are rewritten. Prints TAP-like lines and a final "N passed, N failed".
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';

const root = resolve(import.meta.dirname, '../../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.split(/^## /m).find((s) => s.startsWith('REST API'));
if (!section) {
  console.log('not ok - README.md has no "REST API" section');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// Statements in order: a statement is its lines up to one without a trailing backslash; the
// comment lines right after it are what it must print.
const statements = [];
for (const block of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
  let current = null;
  for (const line of block[1].split('\n')) {
    if (line.startsWith('# ') && current) {
      current.expect.push(line.slice(2));
    } else if (line.trim() === '') {
      current = null;
    } else if (current && current.open) {
      current.text += '\n' + line;
      current.open = line.endsWith('\\');
    } else {
      current = { text: line, open: line.endsWith('\\'), expect: [] };
      statements.push(current);
    }
  }
}

const port = await new Promise((ok) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
});
const rewrite = (text) => text
  .replaceAll('./bench', `"${join(root, 'bench')}"`)
  .replaceAll('localhost:8000', `localhost:${port}`)
  .replaceAll('--port 8000', `--port ${port}`);

// One bash script runs every statement in order (so variables carry over); each statement's
// output is fenced with markers. A statement ending in `&` is a server: wait until it answers.
const lines = ['set -u', 'trap \'kill $(jobs -p) 2>/dev/null; wait\' EXIT'];
statements.forEach((s, i) => {
  const text = rewrite(s.text);
  if (text.trimEnd().endsWith('&')) {
    lines.push(`${text.trimEnd().slice(0, -1)} >serve.log 2>&1 &`);
    lines.push(`for _ in $(seq 900); do curl -s localhost:${port}/api/method/ping >/dev/null && break; sleep 0.2; done`);
    lines.push(`echo "@@${i} $?"`);
  } else if (s.expect.length === 0) {
    lines.push(text, `echo "@@${i} $?"`);
  } else {
    lines.push(`__out=$(${text}\n)`, `__rc=$?`, `echo "@@${i} $__rc"`, `printf '%s\\n' "$__out"`);
  }
});

const dir = mkdtempSync(join(tmpdir(), 'sb-readme-'));
const run = spawnSync('bash', ['-c', lines.join('\n')], { cwd: dir, encoding: 'utf8', timeout: 600_000 });
const out = run.stdout ?? '';
const pattern = (expect) => new RegExp('^' + expect.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*') + '$');

let passed = 0;
let failed = 0;
statements.forEach((s, i) => {
  const name = s.text.split('\n')[0].slice(0, 90);
  const m = out.match(new RegExp(`^@@${i} (\\d+)\\n([\\s\\S]*?)(?=^@@\\d+ |$(?![\\s\\S]))`, 'm'));
  const problems = [];
  if (!m) problems.push('did not run');
  else {
    if (m[1] !== '0') problems.push(`exit status ${m[1]}`);
    const got = m[2].trimEnd();
    if (s.expect.length && !pattern(s.expect.join('\n')).test(got))
      problems.push(`printed ${JSON.stringify(got.slice(0, 400))}, README says ${JSON.stringify(s.expect.join('\n'))}`);
  }
  if (problems.length === 0) {
    passed++;
    console.log(`ok ${i + 1} - ${name}`);
  } else {
    failed++;
    console.log(`not ok ${i + 1} - ${name}\n  # ${problems.join('; ')}`);
  }
});
if (failed > 0) console.log(`--- stderr ---\n${(run.stderr ?? '').slice(-3000)}`);
rmSync(dir, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
