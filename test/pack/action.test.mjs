// The GitHub Action (action.yml): a composite action whose check step is scripts/action-check.sh.
// The step runs here as the runner would run it (GITHUB_ACTION_PATH, the inputs as environment
// variables, a repository as the working directory), against the production build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const root = resolve('.');
const action = parse(readFileSync('action.yml', 'utf8'));

/** A repository with design docs: a clean one, a nested design doc with review warnings, and optionally a broken one. */
function repo({ broken = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sdnb-action-'));
  mkdirSync(join(dir, 'docs', 'payments'), { recursive: true });
  copyFileSync(join(root, 'examples', 'tour.sdnb'), join(dir, 'docs', 'tour.sdnb'));
  copyFileSync(join(root, 'test', 'integration', 'fixtures', 'design.sdnb.md'), join(dir, 'docs', 'payments', 'design.sdnb.md'));
  mkdirSync(join(dir, 'node_modules', 'x'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'x', 'ignored.sdnb'), '```estimate\nx = 3 fo\n```\n');
  if (broken) writeFileSync(join(dir, 'docs', 'broken.sdnb'), '# Broken\n\n```estimate\nx = 3 fo\n```\n');
  return dir;
}

/** The check step, with the action's defaults for inputs not given. */
function checkStep(cwd, inputs = {}) {
  const step = action.runs.steps.find((s) => s.name === 'Check design docs');
  const defaults = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default]));
  const given = { ...defaults, ...inputs };
  const env = { ...process.env, GITHUB_ACTION_PATH: root };
  for (const [name, value] of Object.entries(step.env)) env[name] = value.replace(/\$\{\{ inputs\.([\w-]+) \}\}/, (_, k) => given[k]);
  const r = spawnSync('bash', ['-c', step.run], { cwd, env, encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr, annotations: r.stdout.split('\n').filter((l) => l.startsWith('::')) };
}

test('action.yml is a composite action: Node set up, sdnb built from the action, inputs reach scripts only as environment variables', () => {
  assert.equal(action.runs.using, 'composite');
  assert.deepEqual(Object.keys(action.inputs), ['files', 'command', 'max-warnings', 'node-version']);
  assert.deepEqual(
    action.runs.steps.map((s) => s.uses ?? s.name),
    ['actions/setup-node@v4', 'Build sdnb', 'Check design docs'],
  );
  for (const s of action.runs.steps.filter((s) => s.run))
    assert.doesNotMatch(s.run, /\$\{\{\s*inputs\./, `${s.name}: an input pasted into shell text`);
});

test('the default globs find *.sdnb and *.sdnb.md anywhere but node_modules; warnings are annotations and do not fail', () => {
  const r = checkStep(repo());
  assert.equal(r.status, 0, r.err);
  assert.equal(r.out.split('\n')[0], 'sdnb check --format github **/*.sdnb **/*.sdnb.md');
  assert.ok(r.annotations.length > 0);
  assert.ok(
    r.annotations.every((a) => a.startsWith('::warning file=docs/payments/design.sdnb.md,line=')),
    r.annotations.join('\n'),
  );
});

test('an error in a design doc fails the step with an annotation at its line and column', () => {
  const r = checkStep(repo({ broken: true }));
  assert.equal(r.status, 1);
  assert.ok(
    r.annotations.some((a) => a.startsWith('::error file=docs/broken.sdnb,line=4,col=7,') && a.includes('unknown unit `fo`')),
    r.annotations.join('\n'),
  );
});

test('max-warnings: more warnings than allowed fail the step', () => {
  const dir = repo();
  assert.equal(checkStep(dir, { 'max-warnings': '100' }).status, 0);
  const r = checkStep(dir, { 'max-warnings': '0' });
  assert.equal(r.status, 1);
  assert.match(r.err, /warnings?, more than --max-warnings 0/);
});

test('command run runs the cells: a failing cell fails the step, its error annotated at its line and column', () => {
  const dir = repo({ broken: true });
  const r = checkStep(dir, { command: 'run', files: 'docs/broken.sdnb' });
  assert.equal(r.status, 1);
  assert.equal(r.out.split('\n')[0], 'sdnb run --format github docs/broken.sdnb');
  assert.deepEqual(r.annotations, [
    '::error file=docs/broken.sdnb,line=4,col=7,title=System Design Notebook::unknown unit `fo`; did you mean `mo`? To count a new kind of thing, declare it on a line above: `unit fo`',
  ]);
});

test('bad input: an unknown command, or globs that match nothing, exit 2', () => {
  const dir = repo();
  const bad = checkStep(dir, { command: 'rm -rf' });
  assert.equal(bad.status, 2);
  assert.match(bad.out, /^::error title=System Design Notebook::command must be check or run/m);
  const none = checkStep(dir, { files: 'nothing/**/*.sdnb\n  other/*.sdnb.md' });
  assert.equal(none.status, 2);
  assert.match(none.err, /no file matches 'nothing\/\*\*\/\*\.sdnb', 'other\/\*\.sdnb\.md'/);
});
