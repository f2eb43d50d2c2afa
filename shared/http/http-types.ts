/**
 * The slice of the API Gateway HTTP API (payload v2) event and result that handlers use.
 * Declared here so `shared/` carries no dependency on Lambda type packages.
 */
export interface HttpEvent {
  rawPath: string;
  rawQueryString?: string;
  headers: Record<string, string | undefined>;
  pathParameters?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: {
    domainName?: string;
    http: { method: string; path: string; sourceIp?: string };
    requestId?: string;
  };
}

export interface HttpResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}
