/** Which registration a service call goes out under (its tool key and token endpoint). */
export interface PlatformRef {
  issuer: string;
  clientId: string;
}

/** An AGS score (AGS 2.0, 3.4.2). `timestamp` is when the score was produced. */
export interface AgsScore {
  userId: string;
  scoreGiven?: number;
  scoreMaximum?: number;
  activityProgress: 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
  gradingProgress: 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';
  timestamp: string;
}

/** A member of an NRPS membership container (NRPS 2.0, 2.2). */
export interface NrpsMember {
  user_id: string;
  status?: 'Active' | 'Inactive' | 'Deleted';
  name?: string;
  given_name?: string;
  family_name?: string;
  email?: string;
  roles: string[];
}

/** A content item returned through Deep Linking (Deep Linking 2.0, 3.1 ltiResourceLink). */
export interface DeepLinkItem {
  type: 'ltiResourceLink';
  title: string;
  url: string;
  custom?: Record<string, string>;
  lineItem?: { label: string; scoreMaximum: number; resourceId?: string; tag?: string };
}

/**
 * LTI Advantage calls the tool makes to the platform, each authorized by an access token obtained
 * with a client assertion signed by the tool key (LTI Security Framework 4.1). Implemented by ltijs.
 */
export interface AdvantageClient {
  submitScore(platform: PlatformRef, lineItemUrl: string, score: AgsScore): Promise<void>;
  /** Every page of the membership container (following rel="next"), optionally filtered by role. */
  members(
    platform: PlatformRef,
    membershipsUrl: string,
    options: { role?: string; limit?: number },
  ): Promise<NrpsMember[]>;
  /** The auto-posting form returning a signed LtiDeepLinkingResponse to the platform. */
  deepLinkingForm(launch: DeepLinkLaunch, items: DeepLinkItem[]): Promise<string>;
}

/** What a deep-linking response needs from the request that started it. */
export interface DeepLinkLaunch extends PlatformRef {
  deploymentId: string;
  settings: {
    deep_link_return_url: string;
    accept_types?: string[];
    accept_multiple?: boolean;
    data?: string;
  };
}
