/** The public surface of the `resources` feature: everything outside it imports from here, nothing from its files. */
export { explainProfileInForce } from './profile-explain.queries.js';
export { getProfile, listProfileVersions, listProfiles } from './profiles.queries.js';
export { observeResource } from './resource-observe.verb.js';
export { applyResourcePut, putResource, resourceChangeTarget } from './resource-put.verb.js';
export { getResourceTimeline } from './resource-timeline.queries.js';
export { getResource, listDrift, listObservations, listResources } from './resources.queries.js';
export { markResourcesRemoved, upsertResource } from './resources.repo.js';
export { findResource, getResourceState, recordObservation } from './resources.verbs.js';
