import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSecretFile, readTokenFile, SecretFileError, SecretFileModeError, tokenShapeProblem } from './secret-file.js';
import { tempDir } from '../../test/helpers/tmp.js';

const KEY = 'x_api.bearer_token_file';

/** The one-line message readTokenFile() rejects with; every rejection is a SecretFileError naming key and file. */
async function rejection(path: string): Promise<string> {
  try {
    await readTokenFile(KEY, path);
  } catch (err) {
    assert.ok(err instanceof SecretFileError, String(err));
    assert.doesNotMatch(err.message, /\n/);
    return err.message;
  }
  assert.fail(`${path} was accepted`);
}

test('a secret file that is missing, a directory, too open or empty is a one-line error naming key, file and fix', async () => {
  const dir = await tempDir();
  const folder = join(dir, 'token.d');
  await mkdir(folder, { mode: 0o700 });
  await writeFile(join(dir, 'open'), 'tok', { mode: 0o644 });
  await writeFile(join(dir, 'empty'), ' \n\t\n', { mode: 0o600 });
  await writeFile(join(dir, 'file'), 'tok', { mode: 0o600 });
  const cases: Array<[string, RegExp]> = [
    [join(dir, 'missing'), /^Cannot use 'x_api\.bearer_token_file' \(.*\/missing\): the file does not exist: create it \(mode 600\) or correct 'x_api\.bearer_token_file' in the settings$/],
    [folder, /^Cannot use 'x_api\.bearer_token_file' \(.*\/token\.d\): it is a directory, not a file: point 'x_api\.bearer_token_file' at the secret file itself$/],
    [join(dir, 'open'), /: file is readable by group or others \(mode 0644\); run chmod 600 .*\/open$/],
    [join(dir, 'empty'), /\(.*\/empty\): the file is empty: write the token into it \(one line\)$/],
    [join(dir, 'file', 'below'), /: a part of the path is a file, not a folder: correct 'x_api\.bearer_token_file'/],
  ];
  for (const [path, message] of cases) assert.match(await rejection(path), message);
  assert.doesNotMatch(await rejection(folder), /chmod/);
  await assert.rejects(readSecretFile(KEY, join(dir, 'open')), SecretFileModeError);
});

test('tokenShapeProblem() refuses what a bad copy-paste leaves in a token file', () => {
  const cases: Array<[string, RegExp | undefined]> = [
    ['AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2XzMDjRfl76ZC9Ub0wnz4XsNiRVBChTYbJcE3F', undefined],
    ['osf-Token_1.2~x/y+z=', undefined],
    ['first\nsecond', /more than one line/],
    ['Bearer AAAA', /space or tab/],
    ['"AAAA"', /wrapped in quotes/],
    ['\u201cAAAA\u201d', /not printable ASCII/],
  ];
  for (const [token, problem] of cases) {
    const found = tokenShapeProblem(token);
    if (problem === undefined) assert.equal(found, undefined, token);
    else assert.match(found ?? '', problem, token);
  }
});

test('readTokenFile() trims the surrounding whitespace and refuses a two-line token file', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'ok'), '  tok-123\n', { mode: 0o600 });
  assert.equal(await readTokenFile(KEY, join(dir, 'ok')), 'tok-123');
  await writeFile(join(dir, 'two'), 'tok-123\nold-token\n', { mode: 0o600 });
  assert.match(await rejection(join(dir, 'two')), /\(.*\/two\): the file holds more than one line: keep only the token, on one line$/);
});
