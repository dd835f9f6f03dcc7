import * as assert from 'node:assert/strict';
import type { ValidateResult } from '../../../../src/core/report-types';
import {
  diagnosticMessage,
  FINDING_CODES,
  openFailedResult,
  validationSummary,
  withRuntime,
} from '../../../../src/extension/validation/logic/validation-report';

const clean: ValidateResult = { valid: true, errors: 0, warnings: 0, findings: [] };
const oneWarning: ValidateResult = {
  valid: true,
  errors: 0,
  warnings: 1,
  findings: [{ severity: 'warning', code: 'unused-initializer', message: 'Initializer is never used', tensor: 'W2' }],
};

describe('extension: validation report', () => {
  it('adds the node, tensor and graph a finding concerns unless the message names them', () => {
    assert.equal(
      diagnosticMessage({ severity: 'error', code: 'undefined-input', message: 'Input is not defined', node: 'Conv_0', tensor: 'x', graph: 'main/If_0:then_branch' }),
      "Input is not defined [node 'Conv_0', tensor 'x', graph main/If_0:then_branch]",
    );
    assert.equal(
      diagnosticMessage({ severity: 'error', code: 'undefined-input', message: "Node 'Conv_0' reads undefined tensor 'x'", node: 'Conv_0', tensor: 'x', graph: 'main' }),
      "Node 'Conv_0' reads undefined tensor 'x'",
    );
  });

  it('builds the open-failed result', () => {
    const r = openFailedResult('/m/broken.onnx: not an ONNX model (the file is JSON text)');
    assert.equal(r.valid, false);
    assert.equal(r.errors, 1);
    assert.equal(r.findings[0]!.code, FINDING_CODES.openFailed);
    assert.equal(r.runtime, undefined);
  });

  it('merges an accepted runtime check', () => {
    const r = withRuntime(oneWarning, { check: { ok: true, inputNames: ['X'], outputNames: ['Y'], ortVersion: '1.30.0', ms: 12 } });
    assert.deepEqual(r.runtime, { ok: true, ort_version: '1.30.0' });
    assert.equal(r.valid, true);
    assert.equal(r.warnings, 1);
    assert.equal(r.findings.length, 1);
  });

  it('turns a runtime refusal into an error finding with onnxruntime\'s message', () => {
    const r = withRuntime(clean, {
      check: { ok: false, message: 'Type Error: Type (tensor(int64)) of input parameter', inputNames: [], outputNames: [], ortVersion: '1.30.0', ms: 3 },
    });
    assert.equal(r.valid, false);
    assert.equal(r.errors, 1);
    assert.equal(r.findings[0]!.code, FINDING_CODES.runtimeRefused);
    assert.match(r.findings[0]!.message, /Type Error: Type \(tensor\(int64\)\)/);
    assert.equal(r.runtime?.ok, false);
  });

  it('records a worker that could not answer as a warning', () => {
    const r = withRuntime(clean, { failure: 'The ONNX Runtime worker stopped unexpectedly (signal SIGSEGV).' });
    assert.equal(r.valid, true);
    assert.equal(r.warnings, 1);
    assert.equal(r.findings[0]!.code, FINDING_CODES.runtimeUnavailable);
    assert.deepEqual(r.runtime, { ok: false, message: 'The ONNX Runtime worker stopped unexpectedly (signal SIGSEGV).' });
  });

  it('summarises for the notification', () => {
    assert.deepEqual(validationSummary('model.onnx', clean), { level: 'info', text: 'model.onnx is valid (0 errors, 0 warnings).' });
    assert.deepEqual(validationSummary('model.onnx', oneWarning), { level: 'warning', text: 'model.onnx is valid (0 errors, 1 warning).' });
    assert.deepEqual(validationSummary('model.onnx', { valid: false, errors: 2, warnings: 0, findings: [] }), {
      level: 'error',
      text: 'model.onnx has 2 errors — see Problems.',
    });
    assert.equal(validationSummary('m.onnx', { valid: false, errors: 1, warnings: 3, findings: [] }).text, 'm.onnx has 1 error and 3 warnings — see Problems.');
  });
});
