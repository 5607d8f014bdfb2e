/*
 * Request bodies of the public Matrix documentation (Appendix A), verbatim, shared by the tests that must
 * send them as the SDKs do. Replace only the ids a test needs to exist.
 */

/** The documented body of `scteams.createEscalationPolicy`. */
export const DOCUMENTED_CREATE_ESCALATION_POLICY = {
  EscalationPolicy: {
    Name: 'EscalationPolicy 1',
    Description: '',
    IsDefault: false,
    IncidentTypes: ['*'],
    DueTimeThresholdSettings: [
      {
        Level: 'L3',
        Recipients: [{ Entity: 'OCBC_001', EntityMedium: 'MATRIX_MOBILE_APP' }],
        TimeAfter: 90,
        Action: 'NOTIFY',
      },
      {
        Level: 'L2',
        Recipients: [{ Entity: 'gaurav@smartclean.sg', EntityMedium: 'EMAIL' }],
        TimeAfter: 90,
        Action: 'NOTIFY',
      },
    ],
    StartThresholdSettings: [
      {
        Level: 'L3',
        Recipients: [{ Entity: 'OCBC_001', EntityMedium: 'MATRIX_MOBILE_APP' }],
        TimeAfter: 90,
        Action: 'NOTIFY',
      },
      {
        Level: 'L2',
        Recipients: [{ Entity: 'gaurav@smartclean.sg', EntityMedium: 'EMAIL' }],
        TimeAfter: 90,
        Action: 'NOTIFY',
      },
    ],
    TargetDurations: [
      { Priority: 'H', DueTime: 900, StartThreshold: 300 },
      { Priority: 'M', DueTime: 900, StartThreshold: 600 },
      { Priority: 'N', DueTime: 1800, StartThreshold: 900 },
      { Priority: 'L', DueTime: 3600, StartThreshold: 1800 },
    ],
  },
} as const;
