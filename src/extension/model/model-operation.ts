/** The model operation: the model editor and Inspect / Validate / Run on Sample Inputs. */
import { readSettings } from '../config/settings-reader';
import { registerCommands } from './model-commands';
import { activated, type Operation } from '../shared/operation';
import type { ModelServices } from '../model-services';
import { ModelEditorProvider } from './model-editor-provider';

export function modelOperation({ validation, sampler, samplePanels, profiles }: ModelServices): Operation {
  return {
    name: 'model',
    activate: ({ context, log, overlays }) =>
      activated(
        ModelEditorProvider.register({ extensionUri: context.extensionUri, log, validation, sampler, settings: readSettings, overlays, profiles }),
        registerCommands({ log, validation, sampler, samplePanels }),
      ),
  };
}
