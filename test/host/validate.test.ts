import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ValidateResult } from '../../src/core/report-types';
import { activateExtension, describeDiagnostics, errorDiagnostics, fixture, waitFor } from './util';

export default function (): void {
  describe('validate command', () => {
    before(async () => {
      await activateExtension();
    });

    it('reports an error diagnostic on broken.onnx saying it is not an ONNX model', async () => {
      const uri = fixture('broken.onnx');
      try {
        await vscode.commands.executeCommand('ptp.validateModel', uri);
      } catch {
        // Rejecting is acceptable for a file that is not a model; the diagnostic is what the user sees.
      }
      const errors = await waitFor(
        'an error diagnostic on broken.onnx',
        () => {
          const e = errorDiagnostics(uri);
          return e.length > 0 ? e : undefined;
        },
        10_000,
      ).catch((e: Error) => {
        throw new Error(`${e.message}; diagnostics: ${describeDiagnostics(uri)}`);
      });
      assert.ok(
        errors.some((d) => /not an onnx model/i.test(d.message)),
        `no error diagnostic says "not an ONNX model": ${describeDiagnostics(uri)}`,
      );
    });

    it('returns valid: true for tiny.onnx and leaves no error diagnostics', async () => {
      const uri = fixture('tiny.onnx');
      const result = await vscode.commands.executeCommand<ValidateResult | undefined>('ptp.validateModel', uri);
      assert.ok(result && typeof result === 'object', `ptp.validateModel returned ${JSON.stringify(result)}`);
      assert.equal(result.valid, true, `findings: ${JSON.stringify(result.findings)}`);
      assert.equal(result.errors, 0);
      assert.deepEqual(
        errorDiagnostics(uri).map((d) => d.message),
        [],
        `unexpected error diagnostics: ${describeDiagnostics(uri)}`,
      );
    });
  });
}
