// A typed TypeScript client of the DSAR desk API, on the types openapi-typescript
// generates from docs/openapi.json (tests/e2e/ci_api_contract.sh type-checks it
// with tsc --noEmit): submit a request in public, then follow it as staff.
import type { components, paths } from "./generated/dsar-api";

type Schemas = components["schemas"];
type PublicRequest = Schemas["PublicRequestRequest"];
type Submitted = paths["/api/v1/requests/"]["post"]["responses"][201]["content"]["application/json"];
type RequestDetail = paths["/api/v1/requests/{reference}/"]["get"]["responses"][200]["content"]["application/json"];
type ApiError = Schemas["Error"];

async function call<T>(url: string, init: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) {
    const error = (await response.json()) as ApiError;
    throw new Error(`${response.status}: ${error.detail ?? JSON.stringify(error)}`);
  }
  return (await response.json()) as T;
}

export async function submitAndFollow(base: string, token: string): Promise<RequestDetail> {
  const form: PublicRequest = {
    request_type: "access",
    full_name: "Lotte Peeters",
    email: "lotte.peeters@example.be",
    language: "nl",
  };
  const submitted = await call<Submitted>(`${base}/api/v1/requests/`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(form),
  });
  const request = await call<RequestDetail>(`${base}/api/v1/requests/${submitted.reference}/`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const next: Schemas["RequestActionEnum"][] = request.allowed_actions;
  if (next.includes("approve")) {
    await call<RequestDetail>(`${base}/api/v1/requests/${request.reference}/approve/`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
    });
  }
  const status: Schemas["RequestStatusEnum"] = request.status;
  const hold: Schemas["RetentionHold"] | null = request.retention_hold;
  console.log(request.reference, status, request.due_date, hold?.reason ?? "not held");
  return request;
}
