import assert from 'node:assert/strict';
import {
  audienceClientId,
  checkLtiClaims,
  checkTimes,
  decodeJwt,
  CLAIM,
} from '../../../src/lti/launch/launch-checks.js';
import { LaunchError } from '../../../src/lti/launch/launch-error.js';
import { classifyRoles, parseAdminUsers } from '../../../src/lti/launch/roles.js';

const reason = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof LaunchError) return err.reason;
    throw err;
  }
  return 'accepted';
};

const valid = () => ({
  sub: 'u1',
  [CLAIM.version]: '1.3.0',
  [CLAIM.messageType]: 'LtiResourceLinkRequest',
  [CLAIM.deploymentId]: 'd1',
  [CLAIM.resourceLink]: { id: 'r1' },
});

describe('launch checks', () => {
  it('takes the single audience, or azp among several', () => {
    assert.equal(audienceClientId({ aud: 'tool' }), 'tool');
    assert.equal(audienceClientId({ aud: ['tool'] }), 'tool');
    assert.equal(audienceClientId({ aud: ['a', 'tool'], azp: 'tool' }), 'tool');
    assert.equal(
      reason(() => audienceClientId({ aud: ['a', 'tool'] })),
      'multiple_audiences_without_azp',
    );
    assert.equal(
      reason(() => audienceClientId({ aud: ['a', 'tool'], azp: 'b' })),
      'azp_mismatch',
    );
    assert.equal(
      reason(() => audienceClientId({ aud: 'tool', azp: 'b' })),
      'azp_mismatch',
    );
  });

  it('applies the leeway to iat in the future and to exp, and limits the age', () => {
    const rules = { nowSeconds: 1000, leewaySeconds: 5, maxAgeSeconds: 60 };
    assert.equal(
      reason(() => checkTimes({ iat: 1004, exp: 1300 }, rules)),
      'accepted',
    );
    assert.equal(
      reason(() => checkTimes({ iat: 1006, exp: 1300 }, rules)),
      'issued_in_future',
    );
    assert.equal(
      reason(() => checkTimes({ iat: 950, exp: 996 }, rules)),
      'accepted',
    );
    assert.equal(
      reason(() => checkTimes({ iat: 950, exp: 994 }, rules)),
      'expired',
    );
    assert.equal(
      reason(() => checkTimes({ iat: 934, exp: 1300 }, rules)),
      'too_old',
    );
    assert.equal(
      reason(() => checkTimes({ iat: 'x', exp: 1300 }, rules)),
      'malformed_token',
    );
  });

  it('requires version, message type, deployment, sub and a resource link id', () => {
    assert.equal(
      reason(() => checkLtiClaims(valid())),
      'accepted',
    );
    assert.equal(
      reason(() => checkLtiClaims({ ...valid(), [CLAIM.version]: '1.1' })),
      'wrong_version',
    );
    assert.equal(
      reason(() => checkLtiClaims({ ...valid(), [CLAIM.messageType]: 'LtiStartProctoring' })),
      'unsupported_message_type',
    );
    assert.equal(
      reason(() => checkLtiClaims({ ...valid(), [CLAIM.deploymentId]: '' })),
      'missing_deployment_id',
    );
    assert.equal(
      reason(() => checkLtiClaims({ ...valid(), sub: undefined })),
      'missing_sub',
    );
    assert.equal(
      reason(() => checkLtiClaims({ ...valid(), [CLAIM.resourceLink]: {} })),
      'missing_resource_link',
    );
    const deepLink = {
      ...valid(),
      [CLAIM.messageType]: 'LtiDeepLinkingRequest',
      [CLAIM.resourceLink]: undefined,
    };
    assert.equal(
      reason(() => checkLtiClaims(deepLink)),
      'accepted',
    );
  });

  it('refuses what is not a JWT', () => {
    assert.equal(
      reason(() => decodeJwt('abc')),
      'malformed_token',
    );
    assert.equal(
      reason(() => decodeJwt(undefined)),
      'malformed_token',
    );
    assert.equal(
      reason(() => decodeJwt('e30.bm90IGpzb24.x')),
      'malformed_token',
    );
  });
});

describe('role routing', () => {
  const LIS = 'http://purl.imsglobal.org/vocab/lis/v2/';
  const u = { sub: 's', email: 'e@x.org' };
  it('ranks admin over instructor over learner', () => {
    assert.equal(classifyRoles([`${LIS}membership#Learner`], u), 'learner');
    assert.equal(classifyRoles([`${LIS}membership#Learner`, `${LIS}membership#Instructor`], u), 'instructor');
    assert.equal(classifyRoles([`${LIS}membership/Instructor#TeachingAssistant`], u), 'instructor');
    assert.equal(
      classifyRoles([`${LIS}membership#Instructor`, `${LIS}institution/person#Administrator`], u),
      'admin',
    );
    assert.equal(classifyRoles([`${LIS}system/person#SysAdmin`], u), 'admin');
    assert.equal(classifyRoles(['Learner'], u), 'learner');
    assert.equal(classifyRoles([`${LIS}membership#Mentor`], u), 'other');
  });
  it('sends listed admins (by email or sub, any case) to the admin home', () => {
    assert.equal(
      classifyRoles([`${LIS}membership#Learner`], u, parseAdminUsers(' E@X.org , other')),
      'admin',
    );
    assert.equal(classifyRoles([], u, ['S']), 'admin');
  });
});
