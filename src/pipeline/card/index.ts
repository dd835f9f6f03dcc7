/** Model cards (issue "Package & version"): Hugging Face front matter + the sections of Mitchell et al. */
export { md, modelCard, type CardInputs, type ModelCard } from './card';
