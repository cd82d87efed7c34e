/**
 * Every reason code a decision can give, and its kind: the closed vocabulary of "why" (SPEC §1: every decision
 * says why). A code missing here fails to compile wherever a reason is built, so a new reason is always given a
 * kind, and `docs/reasons.md` (checked by a test) lists every code with its kind.
 *
 * A code's kind is what it means on its own. A refusal takes the strongest kind among its reasons (see
 * `refusalOf` in `decision.ts`), unless the decision that refuses judges its reasons as a whole: evaluating a new
 * request or role activation refuses as `invalid` or `forbidden` (so `resource.unknown` or `duration.too_long`
 * there are `invalid`, while the same reasons found again when an approved request is re-validated are `policy`).
 */

/**
 * The kinds of refusal, strongest first, and the error each becomes (`app/refuse.ts`):
 * `invalid` (the input is malformed) → `invalid`; `not_found` → `not_found`; `conflict` (not in a state for
 * this, whoever asks) → `conflict`; `sod` (separation of duties) → `sod_violation`; `policy` (the policy does not
 * allow it, or no longer does) → `policy_denied`; `forbidden` (the actor lacks the duty or standing) → `forbidden`.
 */
export const REFUSAL_KINDS = ['invalid', 'not_found', 'conflict', 'sod', 'policy', 'forbidden'] as const;
export type RefusalKind = (typeof REFUSAL_KINDS)[number];

/**
 * A reason's kind: one of the refusal kinds; `note`, a reason that explains an outcome and never refuses on its
 * own (`step.satisfied`); or `failure`, what failed outside Countersign (a provider), reported as
 * `provider_failed` rather than as a refusal.
 */
export type ReasonKind = RefusalKind | 'note' | 'failure';

export const REASON_KINDS = {
  // Requests: who asks, for what, and the content of the request.
  'requester.unknown': 'policy',
  'requester.disabled': 'policy',
  'requester.no_request_duty': 'policy',
  'requester.role_not_activated': 'policy',
  'requester.not_eligible': 'forbidden',
  'requester.holds_request': 'note',
  'requester.eligible': 'note',
  'resource.unknown': 'policy',
  'profile.unknown': 'forbidden',
  'profile.rebound': 'policy',
  'profile.version_changed': 'note',
  'action.unknown': 'policy',
  'action.wrong_kind': 'invalid',
  'duration.invalid': 'invalid',
  'duration.too_long': 'policy',
  'justification.missing': 'invalid',
  'justification.too_long': 'invalid',
  'ticket.missing': 'invalid',
  'ticket.too_long': 'invalid',
  'ticket.mismatch': 'invalid',
  'params.invalid': 'invalid',

  // Approval rules.
  'rule.matched': 'note',
  'rule.not_matched': 'note',
  'rule.none_matched': 'policy',
  'rule.state_unknown': 'note',
  'rule.context_unknown': 'note',
  'context.value': 'note',
  'context.unknown': 'note',
  'rule.evaluation_error': 'policy',
  'rule.unsatisfiable': 'policy',
  'rule.role_default': 'note',
  'rule.now_denies': 'policy',
  'rule.changed': 'policy',
  'rule.still_auto': 'note',

  // Break-glass.
  'break_glass.not_offered': 'forbidden',
  'break_glass.not_human': 'forbidden',
  'break_glass.not_allowed': 'forbidden',
  'break_glass.action_not_covered': 'forbidden',
  'break_glass.not_applied': 'invalid',
  'break_glass.no_longer_allowed': 'policy',
  'break_glass.allowed': 'note',
  'break_glass.rules_skipped': 'note',
  'break_glass.condition_met': 'note',
  'break_glass.condition_not_met': 'forbidden',
  'break_glass.condition_unknown': 'forbidden',

  // Approving and denying.
  'request.not_pending': 'conflict',
  'request.no_open_step': 'conflict',
  'request.wrong_status': 'conflict',
  'request.unresolvable': 'policy',
  'request.approved': 'note',
  'approver.unknown': 'forbidden',
  'approver.disabled': 'forbidden',
  'approver.not_human': 'forbidden',
  'approver.no_approve_duty': 'forbidden',
  'approver.not_in_step': 'forbidden',
  'approver.independence_unknown': 'forbidden',
  'approver.not_independent': 'forbidden',
  'approver.does_not_cover_role': 'forbidden',
  'approver.holds_approve': 'note',
  'approver.in_step': 'note',
  'approver.independent': 'note',
  'approver.covers_role': 'note',
  'step.unknown': 'forbidden',
  'step.satisfied': 'note',
  'step.counted': 'note',
  'approval.counted': 'note',
  'denier.is_requester': 'forbidden',
  'denier.not_an_approver': 'forbidden',
  'denial.accepted': 'note',
  'digest.mismatch': 'conflict',
  'digest.content_changed': 'conflict',
  'lifecycle.illegal_transition': 'conflict',
  'grant.illegal_transition': 'conflict',

  // Activation, execution and re-validation.
  'activation.window_passed': 'policy',
  'grant.expired': 'policy',
  'grant.not_active': 'policy',
  'approval.no_longer_counts': 'policy',
  'approval.no_longer_satisfied': 'policy',
  'approval.still_satisfied': 'note',
  'revalidation.holds': 'note',
  'provisioning.changed': 'conflict',
  'provisioning.unknown': 'conflict',

  // Extensions.
  'extension.none': 'policy',
  'extension.not_a_grant': 'policy',
  'extension.break_glass': 'policy',
  'extension.different_request': 'policy',
  'extension.different_policy': 'policy',
  'extension.policy_changed': 'policy',
  'extension.unanchored': 'policy',
  'extension.past_max_duration': 'policy',
  'extension.entitlement_ends': 'policy',
  'extension.not_later': 'policy',
  'extension.may_ask': 'note',
  'extension.granted': 'note',
  'provider.cannot_extend': 'policy',

  // What a provider failed to do (recorded, answered `provider_failed`).
  'provider.grant_failed': 'failure',
  'provider.revoke_failed': 'failure',
  'provider.extend_failed': 'failure',

  // Manual provisioning.
  'provision.not_manual': 'forbidden',
  'provision.not_human': 'forbidden',
  'provision.no_duty': 'forbidden',
  'provision.not_requested': 'conflict',
  'provision.already_requested': 'conflict',
  'provision.holds_duty': 'note',

  // Revoking a grant.
  'revoker.not_entitled': 'forbidden',
  'revoker.requester': 'note',
  'revoker.administrator': 'note',

  // Separation of duties: the lifecycle of a request, built in and configured.
  'sod.own_request': 'sod',
  'sod.not_requester': 'forbidden',
  'sod.duplicate_approval': 'sod',
  'sod.lifecycle_roles': 'sod',
  'sod.system_actor': 'sod',
  'sod.same_principal': 'sod',
  'sod.rule_conflict': 'sod',
  'sod.conflict_suppressed': 'note',
  'sod.lifecycle_ok': 'note',

  // Separation of duties: assignments, administration, certification, evidence.
  'sod.human_only_duty': 'sod',
  'sod.unknown_role': 'sod',
  'sod.assignment_expired': 'note',
  'sod.no_conflict': 'note',
  'sod.self_administration': 'sod',
  'sod.own_admin_change': 'sod',
  'sod.own_exception': 'sod',
  'sod.exception_creator': 'sod',
  'sod.own_policy_change': 'sod',
  'sod.certifier_is_holder': 'sod',
  'sod.certifier_assigned': 'sod',
  // Exporting evidence needs `audit` over everything and no `administer`: refused as `forbidden`.
  'sod.exporter_administers': 'forbidden',
  'sod.exporter_not_auditor': 'forbidden',
  'sod.exporter_scoped_auditor': 'forbidden',
  'sod.exporter_ok': 'note',

  // Role activations.
  'role.unknown': 'forbidden',
  'role.standing': 'invalid',
  'role.already_active': 'invalid',
  'role_activation.not_pending': 'conflict',
  'role_activation.not_active': 'conflict',
  'role_activation.already_pending': 'conflict',
  'role_activation.not_revoker': 'forbidden',

  // Administration: identities, role assignments, exceptions, resources, four-eyes changes.
  'admin.unknown_identity': 'not_found',
  'admin.not_administrator': 'forbidden',
  'admin.author_not_administrator': 'forbidden',
  'admin.last_holder': 'forbidden',
  'admin.holds_administer': 'note',
  'admin.disable_allowed': 'note',
  'admin.role_change_allowed': 'note',
  'admin.holders_remain': 'note',
  'assignment.unknown_role': 'not_found',
  'assignment.unknown_subject': 'not_found',
  'assignment.expired': 'invalid',
  'exception.self_request': 'note',
  'exception.create_allowed': 'note',
  'exception.approve_allowed': 'note',
  'exception.self_revoke': 'note',
  'exception.revoke_allowed': 'note',
  'admin_change.approve_allowed': 'note',
  'admin_change.reject_allowed': 'note',
  'admin_change.withdrawn': 'note',
  'resource.connection_free_form': 'invalid',
  'resource.connection_not_allowed': 'invalid',
  'resource.administrator': 'note',
  'resource.observer': 'note',
  'resource.system_observer': 'note',
  'observation.in_future': 'invalid',
  'observation.time_ok': 'note',
  'reconcile.owned': 'note',
  'reconcile.age_unknown': 'note',
  'reconcile.too_young': 'note',
  'reconcile.in_use': 'note',
  'reconcile.system': 'note',
  'reconcile.administrator': 'note',

  // Policy change sets.
  'policy_change.unknown_identity': 'forbidden',
  'policy_change.disabled': 'forbidden',
  'policy_change.not_human': 'forbidden',
  'policy_change.not_administrator': 'forbidden',
  'policy_change.not_governance_approver': 'forbidden',
  'policy_change.submit_allowed': 'note',
  'policy_change.governance_approver': 'note',
  'policy_change.administrator_approves': 'note',
  'policy_change.withdrawn': 'note',
  'policy_change.satisfied': 'note',
  'policy_change.waiting': 'note',

  // Certification.
  'certification.not_campaign_owner': 'forbidden',
  'certification.not_reviewer': 'forbidden',
  'certification.not_human': 'forbidden',
  'certification.no_certify_duty': 'forbidden',
  'certification.already_decided': 'conflict',
  'certification.window_too_short': 'invalid',
  'certification.campaign_owner': 'note',
  'certification.reviewer': 'note',
  'certification.certifier_ok': 'note',
  'certification.window_ok': 'note',
  'certification.decided': 'note',
  'certification.escalated': 'note',
  'certification.missed_privileged': 'note',
  'certification.missed_revoke': 'note',
  'certification.missed_escalate': 'note',

  // API tokens.
  'token.unknown_identity': 'not_found',
  'token.identity_disabled': 'forbidden',
  'token.ttl_too_long': 'invalid',
  'token.chain_ends': 'invalid',
  'token.not_self': 'forbidden',
  'token.not_nhi_owner': 'forbidden',
  'token.not_owner': 'forbidden',
  'token.ttl_ok': 'note',
  'token.operator': 'note',
  'token.self': 'note',
  'token.nhi_owner': 'note',
  'token.own': 'note',
  'token.administer': 'note',

  // Reading: what a caller may see.
  'read.not_reader': 'forbidden',
  'read.no_profile_duty': 'forbidden',
  'read.reader_duty': 'note',
  'read.own_identity': 'note',
  'read.own_exception': 'note',
  'read.profile_duty': 'note',
  'visibility.own': 'note',
  'visibility.request': 'note',
  'visibility.approve': 'note',
  'visibility.provision': 'note',
  'visibility.use': 'note',
  'visibility.certify': 'note',
  'visibility.administer': 'note',
  'visibility.audit': 'note',

  // `check`: a denial is an answer, not an error; the kind applies where a caller may not ask at all.
  'check.grant': 'note',
  'check.standing_role': 'note',
  'check.no_grant': 'forbidden',
  'check.grant_expired': 'forbidden',
  'check.grant_revoked': 'forbidden',
  'check.unknown_identity': 'forbidden',
  'check.identity_disabled': 'forbidden',
  'check.unknown_resource': 'forbidden',
  'check.unknown_profile': 'forbidden',
  'check.unknown_action': 'forbidden',
  'check.denials_overflowed': 'note',
  'check_access.self': 'note',
  'check_access.audit': 'note',
  'check_access.provision': 'note',
  'check_access.not_self': 'forbidden',

  // Approvals in chat (Slack interactions): who pressed the button, and whether the press is genuine and new.
  'chat.unknown_user': 'forbidden',
  'chat.not_human': 'forbidden',
  'chat.disabled': 'forbidden',
  'chat.replayed': 'forbidden',
  'chat.unknown_action': 'invalid',

  // The audit log.
  'audit.clear_secret': 'note',
  'checkpoint.signed': 'note',
  'checkpoint.bad_signature': 'note',
  'checkpoint.due_events': 'note',
  'checkpoint.due_time': 'note',
  'checkpoint.requested': 'note',
} as const satisfies Readonly<Record<string, ReasonKind>>;

/** Every reason code: a closed union, so a reason with a code that is not listed above fails to compile. */
export type ReasonCode = keyof typeof REASON_KINDS;
