/** Ids of the registry's commands and of the Models view, shared with package.json contributions. */
export const MODELS_VIEW_ID = 'ptp.models';

export const REGISTRY_COMMANDS = {
  registerModel: 'ptp.registerModel',
  refreshModels: 'ptp.models.refresh',
  openVersion: 'ptp.models.open',
  evaluateVersion: 'ptp.models.evaluate',
  predictVersion: 'ptp.models.predict',
  monitorVersion: 'ptp.models.monitor',
  compareWithParent: 'ptp.models.compareWithParent',
  setAlias: 'ptp.models.setAlias',
  removeVersion: 'ptp.models.removeVersion',
  revealVersion: 'ptp.models.reveal',
  copyReference: 'ptp.models.copyReference',
  exportVersion: 'ptp.models.export',
  modelCard: 'ptp.models.card',
} as const;

/** `contextValue`s of the Models view's items (package.json menus match them). */
export const MODELS_ITEM = {
  model: 'ptp.model',
  /** A version without a registered parent; `ptp.version.withParent` when it has one (menus match /^ptp\.version/). */
  version: 'ptp.version',
  versionWithParent: 'ptp.version.withParent',
  parent: 'ptp.parent',
} as const;
