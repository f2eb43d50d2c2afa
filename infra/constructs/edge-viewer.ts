import { Duration, Stack, Token } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  type DistributionProps,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
} from 'aws-cdk-lib/aws-cloudfront';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/**
 * What viewers see of the distribution besides the behaviours: its hostname and certificate, the
 * security headers on every answer, and an optional rate limit. Kept apart from edge.ts (caching),
 * which wires each with one line.
 */

/** A custom domain in front of the distribution: its name and an ACM certificate for it in us-east-1. */
export interface CustomDomain {
  readonly domainName: string;
  readonly certificateArn: string;
}

/**
 * Refuses a custom domain CloudFront would refuse at deploy time: CloudFront uses only ACM
 * certificates in us-east-1 (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html).
 */
export function validateCustomDomain(domain: CustomDomain): CustomDomain {
  if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domain.domainName)) {
    throw new Error(`Custom domain: ${domain.domainName} is not a lower-case host name (no scheme, path or trailing dot)`);
  }
  if (Token.isUnresolved(domain.certificateArn)) return domain;
  const match = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[A-Za-z0-9-]+$/.exec(domain.certificateArn);
  if (!match) throw new Error(`Custom domain: ${domain.certificateArn} is not an ACM certificate ARN`);
  if (match[1] !== 'us-east-1') {
    throw new Error(
      `Custom domain: the certificate is in ${match[1]}; CloudFront only uses ACM certificates in us-east-1 (request or import it there)`,
    );
  }
  return domain;
}

/** The distribution's alternate domain name, certificate and minimum TLS (TLSv1.2_2021); nothing without a custom domain. */
export function customDomainProps(scope: Construct, domain: CustomDomain | undefined): Partial<DistributionProps> {
  if (!domain) return {};
  return {
    domainNames: [domain.domainName],
    certificate: Certificate.fromCertificateArn(scope, 'Certificate', validateCustomDomain(domain).certificateArn),
    minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
  };
}

/** HSTS max-age: two years, the value hstspreload.org asks for. */
export const HSTS_MAX_AGE = Duration.days(730);

/**
 * Security headers on every answer, cached or not, from the API or the bucket
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-response-headers-policies.html#managed-response-headers-policies-security).
 * `override` so an origin cannot weaken them. No preload: that is the domain owner's decision.
 */
export function securityHeadersPolicy(scope: Construct): ResponseHeadersPolicy {
  return new ResponseHeadersPolicy(scope, 'SecurityHeaders', {
    comment: 'HSTS, nosniff, frame options DENY, referrer policy on every answer',
    securityHeadersBehavior: {
      strictTransportSecurity: { accessControlMaxAge: HSTS_MAX_AGE, includeSubdomains: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
    },
  });
}

/** A web ACL for the distribution: either made here (stack in us-east-1) or one made there, by ARN. */
export interface RateLimit {
  /** Requests per client IP per 5-minute window before WAF blocks it (AWS allows 10 to 2,000,000,000). */
  readonly requestsPer5Minutes?: number;
  /** A CLOUDFRONT-scope web ACL created in us-east-1, for stacks deployed in another region. */
  readonly webAclArn?: string;
}

/**
 * The web ACL id for the distribution (its ARN), or undefined without a rate limit. A CLOUDFRONT
 * web ACL exists only in us-east-1 (https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works-resources.html),
 * so this stack creates one only when it is deployed there; elsewhere pass `webAclArn`.
 */
export function rateLimitWebAcl(scope: Construct, limit: RateLimit | undefined): string | undefined {
  if (!limit) return undefined;
  if (limit.webAclArn !== undefined) {
    if (!/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/.test(limit.webAclArn)) {
      throw new Error(
        'WAF: webAclArn must be a CLOUDFRONT-scope web ACL in us-east-1 (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>)',
      );
    }
    return limit.webAclArn;
  }
  const rate = limit.requestsPer5Minutes;
  if (rate === undefined || !Number.isInteger(rate) || rate < 10 || rate > 2_000_000_000) {
    throw new Error('WAF: the rate limit is a whole number of requests per 5 minutes, 10-2000000000');
  }
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(region) || region !== 'us-east-1') {
    throw new Error(
      'WAF: a CloudFront web ACL can only be created in us-east-1; deploy this stack there (with an explicit region) or create the web ACL in us-east-1 and pass its ARN (-c webAclArn=…)',
    );
  }
  const acl = new CfnWebACL(scope, 'RateLimit', {
    scope: 'CLOUDFRONT',
    defaultAction: { allow: {} },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'OtaEdge', sampledRequestsEnabled: true },
    rules: [
      {
        name: 'RatePerIp',
        priority: 0,
        action: { block: {} },
        statement: { rateBasedStatement: { limit: rate, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
        visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'OtaEdgeRatePerIp', sampledRequestsEnabled: true },
      },
    ],
  });
  return acl.attrArn;
}
