/** The public surface of the `certifications` feature: everything outside it imports from here, nothing from its files. */
export { closeOverdueCampaigns } from './certifications-deadline.job.js';
export { restoreCertificationRevoke } from './certifications-restore.verb.js';
export { listBreakGlassReviews, reviewBreakGlass } from './certifications-break-glass.verbs.js';
export { certifyItem, createCampaign, listCampaigns, showCampaign } from './certifications.verbs.js';
