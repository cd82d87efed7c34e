/**
 * The control-mapping index of an evidence bundle (SPEC §6): for each group of control ids, what in Countersign
 * evidences it and which sections of the bundle hold that evidence. An auditor starts here.
 */
import type { EvidenceSectionName } from './evidence-bundle.js';

export interface ControlMapping {
  readonly controls: readonly string[];
  readonly evidencedBy: string;
  readonly sections: readonly EvidenceSectionName[];
}

export const CONTROL_MAPPING: readonly ControlMapping[] = [
  {
    controls: [
      'NIST CSF 2.0 PR.AA-05',
      'NIST CSF 1.1 PR.AC-4',
      'NIST 800-53 AC-5',
      'NIST 800-53 AC-6',
      'ISO 27001:2022 A.5.3',
      'ISO 27001:2022 A.5.15',
      'ISO 27001:2022 A.5.18',
      'ISO 27001:2022 A.8.2',
      'SOC 2 CC6.1',
      'SOC 2 CC6.2',
      'SOC 2 CC6.3',
    ],
    evidencedBy: 'roles and duties, SoD rules and scans, exceptions, JIT grants with expiry, approvals',
    sections: ['sodScan', 'sodExceptions', 'approvals', 'auditEvents', 'profileVersions'],
  },
  {
    controls: ['NIST 800-53 AC-3(2)'],
    evidencedBy: 'multi-step approvals, policy change sets with governance approvers',
    sections: ['approvals', 'auditEvents'],
  },
  {
    controls: [
      'NIST 800-53 AC-2',
      'SOC 2 CC6.2',
      'ISO 27001:2022 A.5.16',
      'ISO 27001:2022 A.5.17',
      'OWASP NHI1',
      'OWASP NHI5',
      'OWASP NHI7',
    ],
    evidencedBy: 'identities, NHI owners, expiring tokens, offboarding, certification campaigns',
    sections: ['certifications', 'breakGlass', 'sodScan', 'auditEvents'],
  },
  {
    controls: ['NIST CSF 2.0 PR.PS-01', 'NIST 800-53 CM-2', 'NIST 800-53 CM-6', 'ISO 27001:2022 A.8.9', 'SOC 2 CC7.1'],
    evidencedBy: "profiles' baselines, drift findings",
    sections: ['profileVersions', 'driftFindings'],
  },
  {
    controls: [
      'NIST 800-53 AU-9',
      'NIST 800-53 AU-10',
      'NIST 800-53 AU-5(4)',
      'NIST CSF 2.0 PR.PS-04',
      'ISO 27001:2022 A.8.15',
      'ISO 27001:2022 A.5.28',
      'SOC 2 CC7.2',
    ],
    evidencedBy: 'hash-chained, signed, witnessed audit log; fail-closed writes; signed evidence bundles',
    sections: ['auditEvents', 'checkpoints'],
  },
  {
    controls: ['SOC 2 CC8.1', 'ISO 27001:2022 A.8.32', 'NIST 800-53 CM-3', 'NIST 800-53 CM-5'],
    evidencedBy: 'policy change sets, profile versions recorded on every request',
    sections: ['profileVersions', 'approvals', 'auditEvents'],
  },
  {
    controls: [
      'NIST 800-53 AC-6(9)',
      'NIST 800-53 AU-12',
      'ISO 27001:2022 A.8.2',
      'ISO 27001:2022 A.8.15',
      'SOC 2 CC6.1',
    ],
    evidencedBy:
      'use of privileged access: gateway sessions, every statement checked against the profile and recorded (text sealed in the audit log), refusals',
    sections: ['gatewaySessions', 'auditEvents', 'certifications'],
  },
];
