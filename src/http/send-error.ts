/** The HTTP side of the one error table (src/app/errors.ts): an AppError sent as its status and body. */
import type { Response } from 'express';
import { errorResponse, type AppError } from '../app/errors.js';

/**
 * `fhir`: a FHIR endpoint's error (/api/assess), sent as application/fhir+json; otherwise
 * express's `json` sends application/json.
 */
export function sendError(res: Response, error: AppError, fhir = false): void {
  const { status, body } = errorResponse(error);
  res.status(status);
  if (fhir) res.type('application/fhir+json');
  res.json(body);
}
