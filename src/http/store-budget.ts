/**
 * One store deadline per request (issue 15, STORE_DEADLINE_MS): the first middleware gives each
 * request a budget of store time, and every store call the request makes (jti replay check,
 * rate-limit counter, audit record, feedback) draws from it, so a stalled database costs a request
 * at most that budget in all, never the sum of several timeouts.
 */
import type { RequestHandler, Response } from 'express';
import { storeBudget, type StoreBudget } from '../store/deadline.js';

const KEY = 'storeBudget';

/** Gives every request its store budget of `deadlineMs`. */
export function storeBudgetMiddleware(deadlineMs: number): RequestHandler {
  return (_req, res, next) => {
    res.locals[KEY] = storeBudget(deadlineMs);
    next();
  };
}

/** The request's budget; a request served without the middleware gets no limit of its own. */
export function budgetOf(res: Response): StoreBudget {
  const budget = res.locals[KEY] as StoreBudget | undefined;
  if (budget !== undefined) return budget;
  const unbounded = storeBudget(Number.POSITIVE_INFINITY);
  res.locals[KEY] = unbounded;
  return unbounded;
}
