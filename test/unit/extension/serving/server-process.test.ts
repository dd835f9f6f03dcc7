/** The ptp serve child process: listening line → URL, SIGTERM → exit (port closed), a failed start names the model and stderr. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ServerProcess } from '../../../../src/extension/serving/server-process';
import { V2Client } from '../../../../src/pipeline/serve';
import { REPO_ROOT } from '../../../helpers/paths';

const cli = join(REPO_ROOT, 'src', 'cli', 'main.ts');
const model = join(REPO_ROOT, 'examples', 'digits', 'digits_mlp.onnx');

function start(args: string[], lines: string[], onUnexpectedExit: (e: Error) => void = () => undefined): ServerProcess {
  return new ServerProcess({ cli, execArgv: ['--require', 'tsx/cjs'], args, label: 'digits_mlp.onnx', log: (l) => lines.push(l), onUnexpectedExit, env: { ...process.env } });
}

describe('serving: the ptp serve child process', function () {
  this.timeout(60_000);

  it('serves the example on a free port, answers, and stops on SIGTERM (the port closes)', async () => {
    const lines: string[] = [];
    let unexpected: Error | undefined;
    const server = start([model, '--name', 'digits'], lines, (e) => (unexpected = e));
    try {
      const listening = await server.listening;
      assert.match(listening.http, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.deepEqual(listening.versions.map((v) => [v.model, v.version, v.state]), [['digits', '1', 'ready']]);
      const client = new V2Client(listening.http, { timeoutMs: 5000 });
      assert.equal(await client.ready(), true);
      await server.stop();
      assert.equal(server.running, false);
      await assert.rejects(client.live(), /ECONNREFUSED/);
      assert.equal(unexpected, undefined, 'a stop is not an unexpected exit');
    } finally {
      await server.stop();
    }
  });

  it('a model that cannot be loaded: the server listens and reports the version failed, naming the file', async () => {
    const lines: string[] = [];
    const server = start([join(REPO_ROOT, 'no-such-model.onnx')], lines);
    try {
      const listening = await server.listening;
      assert.equal(listening.versions[0]!.state, 'failed');
      assert.match(listening.versions[0]!.reason ?? '', /file not found/);
      assert.ok(lines.some((l) => /no-such-model/.test(l)), 'stderr went to the log');
    } finally {
      await server.stop();
    }
  });
});
