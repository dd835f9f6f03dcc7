/**
 * The services the model editor and the model and graph commands share (validation, sample runs, profiles,
 * structural compare), made once by the composition root.
 */
import * as vscode from 'vscode';
import { readSettings } from './config/settings-reader';
import { ComparePanels } from './graph/compare-panel';
import { ProfileService } from './graph/profile-service';
import { SamplePanels } from './sample/sample-panels';
import { SampleService } from './sample/sample-service';
import type { OperationHost } from './shared/operation';
import { ValidationService } from './validation/validation-service';

export interface ModelServices extends vscode.Disposable {
  readonly validation: ValidationService;
  readonly sampler: SampleService;
  readonly samplePanels: SamplePanels;
  readonly profiles: ProfileService;
  readonly comparePanels: ComparePanels;
}

export function createModelServices({ context, worker, log, overlays, runner }: OperationHost): ModelServices {
  const services = {
    validation: new ValidationService(worker, log, readSettings),
    sampler: new SampleService(runner, log, readSettings),
    samplePanels: new SamplePanels(context.extensionUri, log),
    profiles: new ProfileService(runner, overlays, log, readSettings),
    comparePanels: new ComparePanels(context.extensionUri, log, readSettings),
  };
  const disposable = vscode.Disposable.from(...Object.values(services));
  return { ...services, dispose: () => disposable.dispose() };
}
