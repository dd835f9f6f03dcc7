/** Ids of the Getting Started commands and walkthrough, shared with package.json contributions. */
export const WELCOME_COMMANDS = {
  openExample: 'ptp.openExample',
} as const;

/** The walkthrough, as `workbench.action.openWalkthrough` names it: `<publisher>.<name>#<id>`. */
export const WALKTHROUGH_ID = 'ptp.gettingStarted';

/** The example the walkthrough works on, shipped in the extension (examples/digits/). */
export const EXAMPLE_FILES = ['digits_mlp.onnx', 'digits_test.csv', 'digits_train.csv'] as const;
/** The example pipeline (examples/pipeline/), copied beside the model with its paths made local. */
export const EXAMPLE_PIPELINE_FILES = ['ptp.pipeline.yaml', 'digits_shifted.csv'] as const;
/** The folder the example is copied into, under the workspace folder. */
export const EXAMPLE_FOLDER = 'ptp-example';
