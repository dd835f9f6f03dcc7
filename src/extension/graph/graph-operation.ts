/** The graph operation: Profile Model and Compare Models (structural). */
import type { ModelServices } from '../model-services';
import { activated, type Operation } from '../shared/operation';
import { registerGraphCommands } from './graph-commands';

export function graphOperation({ profiles, comparePanels }: ModelServices): Operation {
  return {
    name: 'graph',
    activate: ({ log, runner }) => activated(registerGraphCommands({ log, runner, profiles, comparePanels })),
  };
}
