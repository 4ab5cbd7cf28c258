import { AppError } from '../../errors.js';

/** Why a launch was refused; each has a page saying what the LMS admin (or the user) must do. */
export type LaunchRefusal =
  | 'unregistered_platform'
  | 'platform_pending'
  | 'unknown_deployment'
  | 'missing_deployment_id'
  | 'bad_signature'
  | 'unknown_kid'
  | 'wrong_issuer'
  | 'multiple_audiences_without_azp'
  | 'azp_mismatch'
  | 'expired'
  | 'issued_in_future'
  | 'too_old'
  | 'nonce_replay'
  | 'nonce_mismatch'
  | 'state_mismatch'
  | 'wrong_version'
  | 'unsupported_message_type'
  | 'missing_sub'
  | 'missing_resource_link'
  | 'malformed_token'
  | 'session_expired';

interface RefusalText {
  title: string;
  /** Who must act, and how. */
  action: string;
}

const TEXT: Record<LaunchRefusal, RefusalText> = {
  unregistered_platform: {
    title: 'This LMS is not registered with Yardstick',
    action:
      "An LMS administrator must register this platform in Yardstick (admin page 'LMS platforms', 'npx yardstick platform add', or LTI Dynamic Registration) with the issuer and client id shown here.",
  },
  platform_pending: {
    title: 'This LMS registration is waiting for approval',
    action:
      "A Yardstick administrator must approve the pending registration on the admin page 'LMS platforms'.",
  },
  unknown_deployment: {
    title: 'This LMS deployment is not registered',
    action:
      "An LMS administrator must add this deployment id to the platform's registration in Yardstick ('npx yardstick platform add-deployment' or the admin page).",
  },
  missing_deployment_id: {
    title: 'The LMS sent no deployment id',
    action:
      'The LMS administrator must check the tool configuration: LTI 1.3 launches carry a deployment_id claim (LTI Core 5.3.3).',
  },
  bad_signature: {
    title: 'The launch signature is not valid',
    action:
      "The LMS administrator must check that the platform's public keyset URL registered in Yardstick is the LMS's current one.",
  },
  unknown_kid: {
    title: 'The LMS signed with a key Yardstick cannot find',
    action:
      "The LMS administrator must check the keyset URL registered in Yardstick; the LMS's keyset was fetched again and does not contain this key.",
  },
  wrong_issuer: {
    title: 'The launch came from a different LMS than the one that started it',
    action:
      'Start the launch again from the LMS. If it keeps happening, the LMS administrator must check the issuer registered in Yardstick.',
  },
  multiple_audiences_without_azp: {
    title: 'The launch names several audiences but no authorized party',
    action:
      "The LMS must send an azp claim equal to Yardstick's client id when aud lists several clients (OpenID Connect Core 3.1.3.7).",
  },
  azp_mismatch: {
    title: 'The launch was meant for another tool',
    action:
      "The LMS administrator must check the client id registered in Yardstick: the token's azp is not Yardstick's client id.",
  },
  expired: {
    title: 'The launch expired',
    action:
      "Go back to the LMS and open the link again. If it keeps happening, check the LMS server's clock.",
  },
  issued_in_future: {
    title: "The launch was issued in the future by the LMS's clock",
    action:
      "The LMS administrator must synchronise the LMS server's clock (NTP); Yardstick tolerates only a few seconds of skew.",
  },
  too_old: {
    title: 'The launch is too old',
    action:
      "Go back to the LMS and open the link again. If it keeps happening, check the LMS server's clock.",
  },
  nonce_replay: {
    title: 'This launch was already used',
    action: 'Go back to the LMS and open the link again; each launch can be used once.',
  },
  nonce_mismatch: {
    title: 'The launch does not answer the request Yardstick made',
    action:
      'Go back to the LMS and open the link again. The LMS must return the nonce Yardstick sent (LTI Security Framework 5.1.1.3).',
  },
  state_mismatch: {
    title: 'The launch could not be matched to its start',
    action:
      'Go back to the LMS and open the link again. If it keeps happening, your browser may block cookies in embedded frames: allow cookies for this site or open the tool in a new window.',
  },
  wrong_version: {
    title: 'Unsupported LTI version',
    action: 'The LMS administrator must configure Yardstick as an LTI 1.3 tool (version claim "1.3.0").',
  },
  unsupported_message_type: {
    title: 'Unsupported kind of launch',
    action:
      'Yardstick accepts resource link launches and deep linking requests; the LMS administrator must use one of those placements.',
  },
  missing_sub: {
    title: 'The LMS did not say who you are',
    action:
      'The LMS administrator must allow the tool to receive the user id (sub claim); Yardstick does not support anonymous launches.',
  },
  missing_resource_link: {
    title: 'The launch names no resource link',
    action:
      'The LMS must send the resource_link claim with an id (LTI Core 5.3.5); the LMS administrator should re-create the link.',
  },
  malformed_token: {
    title: 'The launch could not be read',
    action:
      'Go back to the LMS and open the link again. The LMS must post an id_token (a signed JWT) and a state.',
  },
  session_expired: {
    title: 'Your Yardstick session has ended',
    action: 'Go back to the LMS and open the link again.',
  },
};

/** A refused launch: carries the reason, the facts an admin needs (issuer, client id, ...) and what to do. */
export class LaunchError extends AppError {
  readonly title: string;
  readonly action: string;
  constructor(
    readonly reason: LaunchRefusal,
    readonly facts: Record<string, string | undefined> = {},
    detail?: string,
  ) {
    const text = TEXT[reason];
    super(
      reason === 'session_expired' ? 'unauthenticated' : 'forbidden',
      `${text.title}. ${detail ? `${detail} ` : ''}${text.action}`,
    );
    this.title = text.title;
    this.action = text.action;
  }
}
